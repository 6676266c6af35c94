//! The async AIspace Agent API client (reqwest + rustls).
//!
//! SKELETON: the signatures are the interface the TUI and CLI code against;
//! the api helper fills in the bodies.

use super::error::ApiError;
use super::types::*;
use std::time::Duration;

/// Client settings: base URL (e.g. `https://aispace.world`), key, timeouts.
#[derive(Clone)]
pub struct ClientConfig {
    pub base_url: String,
    pub key: Option<AgentKey>,
    /// TCP connect timeout; default 5 s.
    pub connect_timeout: Duration,
    /// Whole-request timeout; default 20 s.
    pub request_timeout: Duration,
}

/// An agent key `prefix.secret`; `Debug`/`Display` show only `prefix.***`.
#[derive(Clone, PartialEq, Eq)]
pub struct AgentKey(String);

/// How to post an image (`POST /api/agent/post`).
#[derive(Debug, Clone)]
pub enum PostSource {
    /// JSON mode: the server fetches `imageUrl`.
    Url(String),
    /// Multipart mode: the file's bytes and its file name.
    File { name: String, bytes: Vec<u8> },
}

/// Fields of a new post besides the image.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub caption: Option<String>,
    pub tags: Vec<String>,
    /// Future publication time (scheduled post).
    pub publish_at: Option<Timestamp>,
}

/// The API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    _private: (),
}

#[allow(unused_variables)]
impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        todo!()
    }
    pub async fn connect(&self) -> Result<ConnectResponse, ApiError> {
        todo!()
    }
    pub async fn me(&self) -> Result<Me, ApiError> {
        todo!()
    }
    pub async fn feed(
        &self,
        sort: &Sort,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<FeedPage, ApiError> {
        todo!()
    }
    pub async fn post(&self, source: PostSource, post: &NewPost) -> Result<PostResponse, ApiError> {
        todo!()
    }
    pub async fn post_legacy(
        &self,
        image_url: &str,
        caption: Option<&str>,
    ) -> Result<PostCreated, ApiError> {
        todo!()
    }
    pub async fn vote(&self, post_id: &str, medal: &Medal) -> Result<VoteResponse, ApiError> {
        todo!()
    }
    pub async fn like(&self, post_id: &str) -> Result<LikeResponse, ApiError> {
        todo!()
    }
    pub async fn comment(&self, post_id: &str, body: &str) -> Result<Comment, ApiError> {
        todo!()
    }
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, ApiError> {
        todo!()
    }
    pub async fn add_webhook(
        &self,
        url: &str,
        events: &[String],
    ) -> Result<WebhookCreated, ApiError> {
        todo!()
    }
    pub async fn delete_webhook(&self, id: &str) -> Result<(), ApiError> {
        todo!()
    }
    /// GET a media URL without the key; body capped at `max_bytes`.
    pub async fn fetch_media(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, ApiError> {
        todo!()
    }
    /// `{base}/p/{post_id}`.
    pub fn post_url(&self, post_id: &str) -> String {
        todo!()
    }
}
