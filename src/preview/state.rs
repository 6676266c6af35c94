//! `PreviewState`: the preview part of `App` (pure: no IO, no clock).
//!
//! - The selection must rest [`DEBOUNCE_MS`] before a load starts (a
//!   deadline in app time, woken by `App::next_wake`); scrolling fast
//!   starts nothing.
//! - A newer selection cancels loads that are neither the new post's nor
//!   one of the [`PREFETCH`] posts after it (the task is aborted).
//! - The [`PREFETCH`] posts after the selection are loaded only once the
//!   selection has rested [`PREFETCH_REST_MS`] and its own picture is no
//!   longer loading: scrolling at a steady pace prefetches nothing.
//! - Results carry their request number and post id; a late result goes
//!   into the cache but is never shown on another post.
//! - The picture is encoded for the preview box (in a blocking task) once
//!   the selection rests (also for cached pictures) and each time the box
//!   size changes. One encode runs at a time: when it ends, the picture
//!   wanted then is encoded (sixel encoding takes a few hundred ms; a queue
//!   of stale encodes would only burn CPU). A replaced kitty image is
//!   deleted from the terminal.

use super::{EncodedPreview, ImageCache, PreviewError, SharedImage};
use crate::api::Timestamp;
use chrono::Duration;
use std::collections::HashMap;

/// Milliseconds the selection must rest before its picture is loaded.
pub const DEBOUNCE_MS: i64 = 80;
/// Pictures of this many following posts are fetched after the selected one.
pub const PREFETCH: usize = 2;
/// Milliseconds the selection must rest before the following posts'
/// pictures are prefetched.
pub const PREFETCH_REST_MS: i64 = 600;
/// Milliseconds between spinner frames while a picture loads.
pub const SPINNER_MS: i64 = 100;
/// Spinner frames.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// Failures remembered (by URL) before the list is cleared.
const MAX_FAILURES: usize = 512;

/// A post whose picture is wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The post id.
    pub post_id: String,
    /// Its preview media URL (as the server gave it; fetched without the key).
    pub url: String,
}

/// A preview result for `update`.
#[derive(Debug)]
pub enum PreviewMsg {
    /// A fetch + decode finished (or was cancelled).
    Loaded {
        request: u64,
        post_id: String,
        url: String,
        result: Result<SharedImage, PreviewError>,
    },
    /// An encode for the preview box finished.
    Encoded {
        request: u64,
        post_id: String,
        url: String,
        /// The box (columns, rows) it was made for.
        avail: (u16, u16),
        result: Result<EncodedPreview, PreviewError>,
    },
}

/// Preview work for the effects runner / runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum PreviewEffect {
    /// Fetch (no key, size-capped) and decode off the UI thread; answered
    /// by [`PreviewMsg::Loaded`] (also when cancelled).
    Load {
        request: u64,
        post_id: String,
        url: String,
        /// A prefetch for a following post.
        prefetch: bool,
    },
    /// Abort the load with this request number (no answer of its own; the
    /// load answers `Cancelled`).
    Cancel { request: u64 },
    /// Resize and encode for a box of `avail` cells; answered by
    /// [`PreviewMsg::Encoded`].
    Encode {
        request: u64,
        post_id: String,
        url: String,
        image: SharedImage,
        avail: (u16, u16),
    },
    /// Delete kitty image `id` from the terminal (runtime; no answer).
    DeleteKitty { id: u32 },
}

/// What the post pane shows in the picture box.
#[derive(Debug)]
pub enum PreviewView<'a> {
    /// Previews are switched off.
    Off,
    /// Waiting, loading or encoding; the spinner frame to show.
    Loading(char),
    /// The picture cannot be shown: a one-line reason.
    Failed(String),
    /// The encoded picture, ready to draw.
    Ready(&'a EncodedPreview),
}

#[derive(Debug, Clone)]
struct Load {
    url: String,
}

#[derive(Debug, Clone)]
struct Shown {
    post_id: String,
    url: String,
    avail: (u16, u16),
    encoded: EncodedPreview,
}

/// Preview state embedded in `App`.
#[derive(Debug, Clone)]
pub struct PreviewState {
    /// Previews are on (`i` toggles).
    pub enabled: bool,
    cache: ImageCache,
    /// The target's picture, kept even when the cache cannot hold it.
    current: Option<(String, SharedImage)>,
    failures: HashMap<String, PreviewError>,
    target: Option<Target>,
    upcoming: Vec<Target>,
    due_at: Option<Timestamp>,
    /// Local time from which the following posts may be prefetched.
    prefetch_at: Option<Timestamp>,
    loads: HashMap<u64, Load>,
    /// Request number of the encode running (at most one).
    encoding: Option<u64>,
    shown: Option<Shown>,
    /// The picture box (columns, rows) at the last sync.
    avail: Option<(u16, u16)>,
    next_request: u64,
}

impl PreviewState {
    /// Previews on or off, decoded pictures cached up to `cache_bytes`.
    pub fn new(enabled: bool, cache_bytes: usize) -> Self {
        PreviewState {
            enabled,
            cache: ImageCache::new(cache_bytes),
            current: None,
            failures: HashMap::new(),
            target: None,
            upcoming: Vec::new(),
            due_at: None,
            prefetch_at: None,
            loads: HashMap::new(),
            encoding: None,
            shown: None,
            avail: None,
            next_request: 0,
        }
    }

    /// The decoded-picture cache.
    pub fn cache(&self) -> &ImageCache {
        &self.cache
    }

    /// The post whose picture is wanted now.
    pub fn target(&self) -> Option<&Target> {
        self.target.as_ref()
    }

    /// Media URLs being loaded (requests in flight).
    pub fn loading_urls(&self) -> Vec<&str> {
        self.loads.values().map(|l| l.url.as_str()).collect()
    }

    /// Local time at which the debounce ends, if it runs.
    pub fn due_at(&self) -> Option<Timestamp> {
        self.due_at
    }

    /// The decoded picture of `url`, if loaded.
    pub fn picture(&self, url: &str) -> Option<SharedImage> {
        if let Some(img) = self.cache.peek(url) {
            return Some(img.clone());
        }
        match &self.current {
            Some((u, img)) if u == url => Some(img.clone()),
            _ => None,
        }
    }

    /// The failure recorded for `url`.
    pub fn failure(&self, url: &str) -> Option<&PreviewError> {
        self.failures.get(url)
    }

    fn request(&mut self) -> u64 {
        self.next_request += 1;
        self.next_request
    }

    fn needs_load(&self, url: &str) -> bool {
        self.picture(url).is_none()
            && !self.failures.contains_key(url)
            && !self.loads.values().any(|l| l.url == url)
    }

    /// Brings the state in line with the selection: `want` is the selected
    /// post's picture (`None`: no picture, or previews off), `upcoming` the
    /// next posts' pictures, `avail` the picture box in cells (`None`: no
    /// room). Pushes loads, cancels, encodes and kitty deletes into `fx`.
    pub fn sync(
        &mut self,
        want: Option<Target>,
        upcoming: Vec<Target>,
        avail: Option<(u16, u16)>,
        now: Timestamp,
        fx: &mut Vec<PreviewEffect>,
    ) {
        let want = if self.enabled { want } else { None };
        let upcoming: Vec<Target> = if self.enabled {
            upcoming.into_iter().take(PREFETCH).collect()
        } else {
            Vec::new()
        };
        if want != self.target {
            self.retarget(want, &upcoming, now, fx);
        }
        self.upcoming = upcoming;
        self.avail = avail;
        if self.due_at.is_some_and(|d| d <= now) {
            self.due_at = None;
            self.start_loads(false, fx);
        }
        if self.due_at.is_none()
            && self.prefetch_at.is_some_and(|p| p <= now)
            && !self.target_loading()
        {
            self.prefetch_at = None;
            self.start_loads(true, fx);
        }
        if self.due_at.is_none() {
            self.ensure_encoded(fx);
        }
    }

    fn retarget(
        &mut self,
        want: Option<Target>,
        upcoming: &[Target],
        now: Timestamp,
        fx: &mut Vec<PreviewEffect>,
    ) {
        let keep: Vec<&str> = want
            .iter()
            .chain(upcoming.iter())
            .map(|t| t.url.as_str())
            .collect();
        let stale: Vec<u64> = self
            .loads
            .iter()
            .filter(|(_, l)| !keep.contains(&l.url.as_str()))
            .map(|(r, _)| *r)
            .collect();
        for request in stale {
            self.loads.remove(&request);
            fx.push(PreviewEffect::Cancel { request });
        }
        if let Some(t) = &want {
            if self.failures.get(&t.url).is_some_and(|e| e.is_transient()) {
                self.failures.remove(&t.url);
            }
            if self.current.as_ref().is_some_and(|(u, _)| *u != t.url) {
                self.current = None;
            }
        } else {
            self.current = None;
            if let Some(old) = self.shown.take() {
                push_delete(&old, fx);
            }
        }
        // The rest applies to loads and to encoding a cached picture.
        self.due_at = want
            .is_some()
            .then(|| now + Duration::milliseconds(DEBOUNCE_MS));
        self.prefetch_at = want
            .is_some()
            .then(|| now + Duration::milliseconds(PREFETCH_REST_MS));
        self.target = want;
    }

    /// Whether the selected post's picture is being fetched or decoded.
    fn target_loading(&self) -> bool {
        self.target
            .as_ref()
            .is_some_and(|t| self.loads.values().any(|l| l.url == t.url))
    }

    /// Loads the selected post's picture, or (`prefetch`) the following ones.
    fn start_loads(&mut self, prefetch: bool, fx: &mut Vec<PreviewEffect>) {
        let wanted: Vec<(Target, bool)> = if prefetch {
            self.upcoming.iter().map(|t| (t.clone(), true)).collect()
        } else {
            self.target.iter().map(|t| (t.clone(), false)).collect()
        };
        for (t, prefetch) in wanted {
            if self.needs_load(&t.url) {
                let request = self.request();
                self.loads.insert(request, Load { url: t.url.clone() });
                fx.push(PreviewEffect::Load {
                    request,
                    post_id: t.post_id,
                    url: t.url,
                    prefetch,
                });
            }
        }
    }

    /// Whether (post, url, box) is what is wanted now.
    fn is_wanted(&self, post_id: &str, url: &str, avail: (u16, u16)) -> bool {
        self.target
            .as_ref()
            .is_some_and(|t| t.post_id == post_id && t.url == url)
            && self.avail == Some(avail)
    }

    fn ensure_encoded(&mut self, fx: &mut Vec<PreviewEffect>) {
        let (Some(t), Some(avail)) = (self.target.clone(), self.avail) else {
            return;
        };
        if avail.0 == 0 || avail.1 == 0 || self.encoding.is_some() {
            return; // no room, or one encode already runs
        }
        if self
            .shown
            .as_ref()
            .is_some_and(|s| s.post_id == t.post_id && s.url == t.url && s.avail == avail)
            || self.failures.contains_key(&t.url)
        {
            return;
        }
        let Some(image) = self.picture(&t.url) else {
            return;
        };
        let request = self.request();
        self.encoding = Some(request);
        fx.push(PreviewEffect::Encode {
            request,
            post_id: t.post_id,
            url: t.url,
            image,
            avail,
        });
    }

    /// Applies a result. Call [`PreviewState::sync`] afterwards (the App
    /// does after every message).
    pub fn on_msg(&mut self, msg: PreviewMsg, fx: &mut Vec<PreviewEffect>) {
        match msg {
            PreviewMsg::Loaded {
                request,
                post_id: _,
                url,
                result,
            } => {
                let mine = self.loads.remove(&request).is_some();
                match result {
                    Ok(img) => {
                        if self.target.as_ref().is_some_and(|t| t.url == url) {
                            self.current = Some((url.clone(), img.clone()));
                        }
                        self.cache.put(url, img);
                    }
                    Err(PreviewError::Cancelled) => {}
                    Err(e) if mine => {
                        if self.failures.len() >= MAX_FAILURES {
                            self.failures.clear();
                        }
                        self.failures.insert(url, e);
                    }
                    Err(_) => {}
                }
            }
            PreviewMsg::Encoded {
                request,
                post_id,
                url,
                avail,
                result,
            } => {
                if self.encoding != Some(request) {
                    return; // not the running encode (previews were switched off)
                }
                self.encoding = None;
                if !self.is_wanted(&post_id, &url, avail) {
                    return; // stale: the selection or the box changed meanwhile
                }
                match result {
                    Ok(encoded) => {
                        let new = Shown {
                            post_id,
                            url,
                            avail,
                            encoded,
                        };
                        if let Some(old) = self.shown.replace(new) {
                            push_delete(&old, fx);
                        }
                    }
                    Err(e) => {
                        self.failures.insert(url, e);
                    }
                }
            }
        }
    }

    /// Switches previews on or off. Off cancels every load and removes the
    /// shown picture. Returns the new state.
    pub fn toggle(&mut self, fx: &mut Vec<PreviewEffect>) -> bool {
        self.enabled = !self.enabled;
        if !self.enabled {
            let mut requests: Vec<u64> = self.loads.drain().map(|(r, _)| r).collect();
            requests.sort_unstable();
            fx.extend(
                requests
                    .into_iter()
                    .map(|request| PreviewEffect::Cancel { request }),
            );
            self.due_at = None;
            self.prefetch_at = None;
            self.encoding = None;
            self.target = None;
            self.current = None;
            if let Some(old) = self.shown.take() {
                push_delete(&old, fx);
            }
        }
        self.enabled
    }

    /// Removes the shown picture (kitty: deleted from the terminal), e.g.
    /// before quitting.
    pub fn clear_shown(&mut self, fx: &mut Vec<PreviewEffect>) {
        if let Some(old) = self.shown.take() {
            push_delete(&old, fx);
        }
    }

    /// Local time of the next wake-up the previews need: the end of the
    /// debounce, or the next spinner frame while the selected picture loads.
    pub fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let spinner = self.target.as_ref().and_then(|t| {
            self.loads.values().any(|l| l.url == t.url).then(|| {
                let ms = now.timestamp_millis().rem_euclid(SPINNER_MS);
                now + Duration::milliseconds(SPINNER_MS - ms)
            })
        });
        let prefetch = self
            .prefetch_at
            .filter(|p| *p > now && !self.upcoming.is_empty());
        [self.due_at, spinner, prefetch].into_iter().flatten().min()
    }

    /// What to show for `post_id`'s picture at `url` in a box of `avail`
    /// cells, at local time `now` (spinner frame).
    pub fn view(
        &self,
        post_id: &str,
        url: &str,
        avail: (u16, u16),
        now: Timestamp,
    ) -> PreviewView<'_> {
        if !self.enabled {
            return PreviewView::Off;
        }
        if let Some(s) = &self.shown {
            if s.post_id == post_id && s.url == url && s.avail == avail {
                return PreviewView::Ready(&s.encoded);
            }
        }
        if let Some(e) = self.failures.get(url) {
            if *e != PreviewError::Cancelled {
                return PreviewView::Failed(e.reason());
            }
        }
        let frame = now
            .timestamp_millis()
            .rem_euclid(SPINNER_MS * SPINNER.len() as i64)
            / SPINNER_MS;
        PreviewView::Loading(SPINNER[frame as usize % SPINNER.len()])
    }
}

fn push_delete(old: &Shown, fx: &mut Vec<PreviewEffect>) {
    if let Some(id) = old.encoded.kitty_id {
        fx.push(PreviewEffect::DeleteKitty { id });
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
