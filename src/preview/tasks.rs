//! The effects side of previews: fetch + decode and encode tasks, and the
//! registry that lets a newer selection abort an older load.
//!
//! One decode runs at a time in the whole process ([`DECODE_SLOT`]): a
//! load waits for the slot after its fetch, and the slot is held until the
//! decode really ends. A cancelled load is aborted while it fetches or
//! waits, and a decode already running is told to stop (its
//! [`decode::CancelFlag`]), so no CPU goes to a picture nobody will see.

use super::MAX_MEDIA_BYTES;
use super::{decode, encode, Graphics, PreviewEffect, PreviewError, PreviewMsg, SharedImage};
use crate::api::Client;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::AbortHandle;

/// The one decode allowed to run at a time.
pub static DECODE_SLOT: Semaphore = Semaphore::const_new(1);

/// A running load: its task, and the flag that stops its decode.
struct Running {
    abort: AbortHandle,
    cancel: Arc<AtomicBool>,
}

/// Longest time one media fetch may take (on top of the client's own
/// connect and request timeouts).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a task's one answer goes (the effects runner wraps it into the
/// app's message).
pub type Reply = Arc<dyn Fn(PreviewMsg) + Send + Sync>;

/// What [`PreviewTasks::run`] did with an effect.
#[derive(Debug, PartialEq)]
pub enum PreviewOutcome {
    /// A task was spawned; it will answer exactly once through the reply.
    Spawned,
    /// Done on the spot (a load aborted); no answer will come.
    Done,
    /// The terminal must get this graphics control sequence (a kitty
    /// delete); no answer will come.
    Graphics(String),
}

/// Runs [`PreviewEffect`]s; cheap to clone (shared task registry).
#[derive(Clone)]
pub struct PreviewTasks {
    graphics: Graphics,
    running: Arc<Mutex<HashMap<u64, Running>>>,
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

    fn running(&self) -> MutexGuard<'_, HashMap<u64, Running>> {
        // A poisoned registry is still a valid map of handles.
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads in flight (for tests and logging).
    pub fn in_flight(&self) -> usize {
        self.running().len()
    }

    /// Runs one effect (inside a tokio runtime). Loads and encodes answer
    /// exactly once through `reply`; cancels answer nothing; kitty deletes
    /// go to the terminal.
    pub fn run(&self, effect: PreviewEffect, client: &Client, reply: &Reply) -> PreviewOutcome {
        match effect {
            PreviewEffect::Load {
                request,
                post_id,
                url,
                prefetch: _,
            } => {
                let cancel = Arc::new(AtomicBool::new(false));
                let inner = tokio::spawn(load_cancellable(
                    client.clone(),
                    url.clone(),
                    cancel.clone(),
                ));
                self.running().insert(
                    request,
                    Running {
                        abort: inner.abort_handle(),
                        cancel,
                    },
                );
                let me = self.clone();
                let reply = reply.clone();
                tokio::spawn(async move {
                    let result = match inner.await {
                        Ok(r) => r,
                        Err(e) if e.is_cancelled() => Err(PreviewError::Cancelled),
                        Err(_) => Err(PreviewError::Corrupt("the decoder failed".into())),
                    };
                    me.running().remove(&request);
                    reply(PreviewMsg::Loaded {
                        request,
                        post_id,
                        url,
                        result,
                    });
                });
                PreviewOutcome::Spawned
            }
            PreviewEffect::Cancel { request } => {
                if let Some(r) = self.running().remove(&request) {
                    r.cancel.store(true, Ordering::Relaxed);
                    r.abort.abort();
                }
                PreviewOutcome::Done
            }
            PreviewEffect::Encode {
                request,
                post_id,
                url,
                image,
                avail,
            } => {
                let g = self.graphics;
                let reply = reply.clone();
                tokio::spawn(async move {
                    let id = kitty_id();
                    let job = tokio::task::spawn_blocking(move || {
                        let encoded = encode::encode(image.image(), avail, &g, id);
                        give_back_memory();
                        encoded
                    });
                    let result = job.await.unwrap_or_else(|_| {
                        Err(PreviewError::Corrupt("the encoder failed".into()))
                    });
                    reply(PreviewMsg::Encoded {
                        request,
                        post_id,
                        url,
                        avail,
                        result,
                    });
                });
                PreviewOutcome::Spawned
            }
            PreviewEffect::DeleteKitty { id } => {
                PreviewOutcome::Graphics(self.graphics.kitty_delete(id))
            }
        }
    }
}

/// Hands the memory a decode or encode freed back to the system. glibc
/// keeps freed blocks of the blocking threads' arenas (below its dynamic
/// mmap threshold, up to 32 MiB each) for reuse, so without this the
/// resident size stays at the peak of the largest picture seen.
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it has no
    // preconditions and is thread-safe.
    unsafe {
        libc::malloc_trim(0);
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
    load_cancellable(client, url, Arc::new(AtomicBool::new(false))).await
}

/// [`load`] that stops once `cancel` is raised: before the decode, or
/// during it (the decode gives up at its next read or row).
/// A local file's bytes (the composer's picture), at most
/// [`MAX_MEDIA_BYTES`].
async fn read_local(path: &str) -> Result<Vec<u8>, PreviewError> {
    use tokio::io::AsyncReadExt;
    let f = tokio::fs::File::open(path)
        .await
        .map_err(|e| PreviewError::Corrupt(format!("cannot read the file: {e}")))?;
    let mut bytes = Vec::new();
    f.take(MAX_MEDIA_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|e| PreviewError::Corrupt(format!("cannot read the file: {e}")))?;
    if bytes.len() > MAX_MEDIA_BYTES {
        return Err(PreviewError::TooLarge);
    }
    Ok(bytes)
}

pub async fn load_cancellable(
    client: Client,
    url: String,
    cancel: Arc<AtomicBool>,
) -> Result<SharedImage, PreviewError> {
    let bytes = match url.strip_prefix("file://") {
        // The post composer's picked file (read locally, same size cap).
        Some(path) => read_local(path).await?,
        None => tokio::time::timeout(FETCH_TIMEOUT, client.fetch_media(&url, MAX_MEDIA_BYTES))
            .await
            .map_err(|_| {
                PreviewError::from_media(&crate::api::ApiError::Timeout(FETCH_TIMEOUT), &url)
            })?
            .map_err(|e| PreviewError::from_media(&e, &url))?,
    };
    let permit = DECODE_SLOT
        .acquire()
        .await
        .map_err(|_| PreviewError::Cancelled)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(PreviewError::Cancelled);
    }
    let img = tokio::task::spawn_blocking(move || {
        // Held until the decode ends, even when this load is aborted meanwhile.
        let _slot = permit;
        let img = decode::decode_cancellable(&bytes, &cancel);
        drop(bytes);
        give_back_memory();
        img
    })
    .await
    .map_err(|_| PreviewError::Corrupt("the decoder failed".into()))??;
    Ok(SharedImage::new(img))
}
