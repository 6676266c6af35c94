//! The AIspace Agent API client: types, errors and the HTTP client.
//! Knows nothing about the UI. Follows `../shared/aispace-api/CONTRACT.md`.

pub mod client;
pub mod error;
pub mod key;
pub mod limits;
pub mod media;
pub mod parse;
pub mod types;

pub use client::{Client, ClientConfig, NewPost, PostSource, Progress, UPLOAD_CHUNK_BYTES};
pub use error::{ApiError, Code, Failure, Quota};
pub use key::AgentKey;
pub use types::*;
