//! The effects side of previews: fetch + decode and encode tasks, and the
//! registry that lets a newer selection abort an older load.

use super::MAX_MEDIA_BYTES;
use super::{decode, encode, Graphics, PreviewEffect, PreviewError, PreviewMsg, SharedImage};
use crate::api::Client;
use crate::app::Msg;
use crate::effects::{Outcome, TerminalEffect};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

/// Longest time one media fetch may take (on top of the client's own
/// connect and request timeouts).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs [`PreviewEffect`]s; cheap to clone (shared task registry).
#[derive(Clone)]
pub struct PreviewTasks {
    graphics: Graphics,
    running: Arc<Mutex<HashMap<u64, AbortHandle>>>,
}

impl PreviewTasks {
    /// Tasks encoding for `graphics`.
    pub fn new(graphics: Graphics) -> Self {
        PreviewTasks {
            graphics,
            running: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The graphics previews are encoded for.
    pub fn graphics(&self) -> &Graphics {
        &self.graphics
    }

    fn running(&self) -> MutexGuard<'_, HashMap<u64, AbortHandle>> {
        // A poisoned registry is still a valid map of handles.
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads in flight (for tests and logging).
    pub fn in_flight(&self) -> usize {
        self.running().len()
    }

    /// Runs one effect (inside a tokio runtime). Loads and encodes answer
    /// with exactly one `Msg::Preview`; cancels answer nothing; kitty
    /// deletes and the full-screen view go to the runtime.
    pub fn run(
        &self,
        effect: PreviewEffect,
        client: &Client,
        tx: &UnboundedSender<Msg>,
    ) -> Outcome {
        match effect {
            PreviewEffect::Load {
                request,
                post_id,
                url,
                prefetch: _,
            } => {
                let inner = tokio::spawn(load(client.clone(), url.clone()));
                self.running().insert(request, inner.abort_handle());
                let me = self.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = match inner.await {
                        Ok(r) => r,
                        Err(e) if e.is_cancelled() => Err(PreviewError::Cancelled),
                        Err(_) => Err(PreviewError::Corrupt("the decoder failed".into())),
                    };
                    me.running().remove(&request);
                    let _ = tx.send(Msg::Preview(PreviewMsg::Loaded {
                        request,
                        post_id,
                        url,
                        result,
                    }));
                });
                Outcome::Spawned
            }
            PreviewEffect::Cancel { request } => {
                if let Some(h) = self.running().remove(&request) {
                    h.abort();
                }
                Outcome::Done
            }
            PreviewEffect::Encode {
                request,
                post_id,
                url,
                image,
                avail,
            } => {
                let g = self.graphics;
                let tx = tx.clone();
                tokio::spawn(async move {
                    let id = kitty_id();
                    let job = tokio::task::spawn_blocking(move || {
                        encode::encode(image.image(), avail, &g, id)
                    });
                    let result = job.await.unwrap_or_else(|_| {
                        Err(PreviewError::Corrupt("the encoder failed".into()))
                    });
                    let _ = tx.send(Msg::Preview(PreviewMsg::Encoded {
                        request,
                        post_id,
                        url,
                        avail,
                        result,
                    }));
                });
                Outcome::Spawned
            }
            PreviewEffect::DeleteKitty { id } => {
                Outcome::Terminal(TerminalEffect::Graphics(self.graphics.kitty_delete(id)))
            }
            PreviewEffect::FullScreen { image } => {
                Outcome::Terminal(TerminalEffect::FullScreen(image))
            }
        }
    }
}

/// A fresh non-zero kitty image id (random, as ratatui-image does, so
/// other programs' images are not hit).
fn kitty_id() -> u32 {
    rand::random::<u32>().max(1)
}

/// Fetches `url` without the key (at most [`MAX_MEDIA_BYTES`], at most
/// [`FETCH_TIMEOUT`]) and decodes it on the blocking pool.
pub async fn load(client: Client, url: String) -> Result<SharedImage, PreviewError> {
    let bytes = tokio::time::timeout(FETCH_TIMEOUT, client.fetch_media(&url, MAX_MEDIA_BYTES))
        .await
        .map_err(|_| PreviewError::Network("timed out".into()))?
        .map_err(|e| PreviewError::from_api(&e))?;
    let img = tokio::task::spawn_blocking(move || decode::decode(&bytes))
        .await
        .map_err(|_| PreviewError::Corrupt("the decoder failed".into()))??;
    Ok(SharedImage::new(img))
}
