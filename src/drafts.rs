//! Unsent comment drafts, one per post id: the app's in-memory [`Drafts`],
//! the snapshot the exits save ([`SharedDrafts`]), and the reader of the
//! old drafts file. The post composer's draft ([`PostDraft`]) rides along
//! in the same rows under [`NEW_POST_KEY`].
//!
//! Drafts are kept in the local store (`store.rs`), one row per account
//! and post. The old file, [`default_path`]
//! (`$XDG_STATE_HOME/aispace-tui/drafts.json`, JSON
//! `{"version": 1, "drafts": {"<post id>": "<text>", ...}, "open": "<post id>"}`),
//! is only read, once, to import it into the store ([`Drafts::load`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{shown_path, state_dir};
use crate::store::{Account, StoreHandle};

/// Largest drafts file read, in bytes; a larger file is treated as corrupt.
pub const MAX_DRAFTS_FILE_BYTES: u64 = 16 * 1024 * 1024;

const VERSION: u32 = 1;

/// The old drafts file, `state_dir()/drafts.json`; `None` when no home
/// directory is known.
pub fn default_path() -> Option<PathBuf> {
    state_dir().map(|d| d.join("drafts.json"))
}

/// The drafts row holding the post composer's fields: post ids are never
/// empty (the feed leaves out items without one), so this key cannot be a
/// post's.
pub const NEW_POST_KEY: &str = "";

/// The post composer's fields as typed, kept like a comment draft (per
/// account, saved while typing) under [`NEW_POST_KEY`]; the body of the
/// row is this as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostDraft {
    /// "file or URL", as typed (`~` not expanded).
    pub source: String,
    pub caption: String,
    pub tags: String,
    pub schedule: String,
}

impl PostDraft {
    /// Nothing typed in any field.
    pub fn is_blank(&self) -> bool {
        [&self.source, &self.caption, &self.tags, &self.schedule]
            .iter()
            .all(|f| f.trim().is_empty())
    }

    /// The row's body (JSON).
    pub fn to_body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a row's body. A body that is not this JSON (written by hand or
    /// by another version) comes back whole as the caption: nothing is lost.
    pub fn from_body(body: &str) -> PostDraft {
        serde_json::from_str(body).unwrap_or_else(|_| PostDraft {
            caption: body.to_string(),
            ..PostDraft::default()
        })
    }

    /// The fields as text for a person (the drafts printed on stderr when
    /// the store could not keep them).
    pub fn describe(&self) -> String {
        format!(
            "file or URL: {}\ncaption: {}\ntags: {}\nschedule: {}",
            self.source, self.caption, self.tags, self.schedule
        )
    }
}

/// Drafts by post id, plus which one had its editor open. Empty drafts are
/// not stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts {
    map: BTreeMap<String, String>,
    open: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftsFile {
    version: u32,
    drafts: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open: Option<String>,
}

impl Drafts {
    /// No drafts.
    pub fn new() -> Self {
        Drafts::default()
    }

    /// Reads the old drafts file at `path` (to import it). Never fails:
    /// returns the drafts and, when the file could not be used, a warning
    /// sentence for the user; the file itself is never changed. A missing
    /// file gives no drafts and no warning.
    pub fn load(path: &Path) -> (Drafts, Option<String>) {
        let bytes = match read_limited(path) {
            Ok(Some(b)) => b,
            Ok(None) => return (Drafts::new(), None),
            Err(e) => {
                return (
                    Drafts::new(),
                    Some(format!(
                    "Could not read the old drafts file {} ({e}); its drafts were not imported.",
                    shown_path(path)
                )),
                )
            }
        };
        let parsed = if bytes.len() as u64 > MAX_DRAFTS_FILE_BYTES {
            Err(format!("larger than {MAX_DRAFTS_FILE_BYTES} bytes"))
        } else {
            serde_json::from_slice::<DraftsFile>(&bytes)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    if f.version == VERSION {
                        Ok(f)
                    } else {
                        Err(format!("unknown version {}", f.version))
                    }
                })
        };
        match parsed {
            Ok(file) => {
                let map: BTreeMap<String, String> = file
                    .drafts
                    .into_iter()
                    .filter(|(_, text)| !text.trim().is_empty())
                    .collect();
                let open = file.open.filter(|id| map.contains_key(id));
                (Drafts { map, open }, None)
            }
            Err(reason) => {
                let reason = crate::text::truncate(&crate::text::clean_line(&reason), 200);
                (
                    Drafts::new(),
                    Some(format!(
                        "The old drafts file {} is damaged ({reason}); its drafts were not imported (the file is left as it is).",
                        shown_path(path)
                    )),
                )
            }
        }
    }

    /// The draft for `post_id`, if any.
    pub fn get(&self, post_id: &str) -> Option<&str> {
        self.map.get(post_id).map(String::as_str)
    }

    /// Sets the draft for `post_id`; text that is empty or only whitespace
    /// removes the draft instead.
    pub fn set(&mut self, post_id: &str, text: impl Into<String>) {
        let text = text.into();
        if text.trim().is_empty() {
            self.remove(post_id);
        } else {
            self.map.insert(post_id.to_string(), text);
        }
    }

    /// Removes and returns the draft for `post_id` (e.g. after it was sent).
    pub fn remove(&mut self, post_id: &str) -> Option<String> {
        if self.open.as_deref() == Some(post_id) {
            self.open = None;
        }
        self.map.remove(post_id)
    }

    /// The post whose editor was open when the drafts were saved (it has a
    /// draft), if any.
    pub fn open(&self) -> Option<&str> {
        self.open.as_deref()
    }

    /// Marks the draft of `post_id` as the one being edited (`None`: no
    /// editor open). Ignored when `post_id` has no draft.
    pub fn set_open(&mut self, post_id: Option<&str>) {
        self.open = post_id
            .filter(|id| self.map.contains_key(*id))
            .map(str::to_string);
    }

    /// Drafts from a map of post id -> text (blank texts left out) and the
    /// post whose editor is open.
    pub fn from_map(map: &BTreeMap<String, String>, open: Option<&str>) -> Drafts {
        let mut d = Drafts::new();
        for (k, v) in map {
            d.set(k, v.clone());
        }
        d.set_open(open);
        d
    }

    /// The drafts as a map of post id -> text.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.map.clone()
    }

    /// Number of drafts.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no drafts.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// All drafts as `(post id, text)`, ordered by post id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The latest drafts of a running TUI and the account they belong to,
/// shared between the runtime (which replaces the snapshot after every
/// batch of messages, [`SharedDrafts::set`]) and the exits that cannot
/// reach the runtime's state: the panic hook, signals, failures
/// ([`SharedDrafts::save_now`]). Saving goes through the store's thread.
/// Cheap to clone (one shared state).
#[derive(Debug, Clone)]
pub struct SharedDrafts {
    inner: Arc<Mutex<SharedState>>,
}

#[derive(Debug)]
struct SharedState {
    store: StoreHandle,
    account: Account,
    current: Drafts,
}

/// How long an exit waits for its last save.
const EXIT_WAIT: Duration = Duration::from_secs(5);

impl SharedDrafts {
    /// A snapshot starting with `initial` (what was loaded for `account`),
    /// saved into `store`.
    pub fn new(store: StoreHandle, account: Account, initial: Drafts) -> Self {
        SharedDrafts {
            inner: Arc::new(Mutex::new(SharedState {
                store,
                account,
                current: initial,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SharedState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The store file; `None` when the store is in memory.
    pub fn path(&self) -> Option<PathBuf> {
        self.lock().store.path()
    }

    /// Replaces the snapshot (nothing is written).
    pub fn set(&self, drafts: Drafts) {
        let mut s = self.lock();
        if s.current != drafts {
            s.current = drafts;
        }
    }

    /// The current snapshot.
    pub fn get(&self) -> Drafts {
        self.lock().current.clone()
    }

    /// Replaces the snapshot and saves it in the background (only the rows
    /// that changed); `done` hears the outcome.
    pub fn save_in_background(
        &self,
        drafts: Drafts,
        done: impl FnOnce(Result<(), String>) + Send + 'static,
    ) {
        let mut s = self.lock();
        s.current = drafts.clone();
        s.store.save_drafts(&s.account, drafts, done);
    }

    /// Saves under `to` from now on: the store files what was kept for
    /// the current account under `to` first (see [`StoreHandle::adopt`]).
    pub fn adopt(&self, to: &Account, key_prefix: &str) {
        let mut s = self.lock();
        s.store.adopt(&s.account, to, key_prefix);
        s.account = to.clone();
    }

    /// Saves the snapshot and waits for the store (leaving the program).
    pub fn save(&self) -> Result<(), String> {
        let s = self.lock();
        s.store
            .save_drafts_wait(&s.account, s.current.clone(), EXIT_WAIT)
    }

    /// Like [`SharedDrafts::save`] but never waits for the lock (for the
    /// panic hook, whose thread may hold it): `None` when it is held.
    pub fn save_now(&self) -> Option<Result<(), String>> {
        let s = match self.inner.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        Some(
            s.store
                .save_drafts_wait(&s.account, s.current.clone(), EXIT_WAIT),
        )
    }
}

/// Reads at most `MAX_DRAFTS_FILE_BYTES + 1` bytes; `Ok(None)` if missing.
fn read_limited(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    file.take(MAX_DRAFTS_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let (d, warning) = Drafts::load(&dir.path().join("drafts.json"));
        assert!(d.is_empty());
        assert!(warning.is_none());
    }

    #[test]
    fn a_written_file_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        std::fs::write(
            &path,
            r#"{"version": 1, "drafts": {"post_1": "first draft\nline two", "p2": "odd \u001b[2J"}}"#,
        )
        .unwrap();
        let (loaded, warning) = Drafts::load(&path);
        assert!(warning.is_none());
        assert_eq!(loaded.get("post_1"), Some("first draft\nline two"));
        assert_eq!(loaded.get("p2"), Some("odd \u{1b}[2J"));
        assert_eq!(loaded.len(), 2);
    }

    #[test]
    fn corrupt_file_is_left_alone_with_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        let content = "{\"version\": 1, \"drafts\": {\"p\": ";
        std::fs::write(&path, content).unwrap();
        let (d, warning) = Drafts::load(&path);
        assert!(d.is_empty());
        let warning = warning.expect("a warning");
        assert!(warning.contains("damaged"), "{warning}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn wrong_version_or_shape_counts_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        for content in [
            r#"{"version": 2, "drafts": {}}"#,
            r#"{"drafts": {}}"#,
            r#"{"version": 1, "drafts": {"p": 3}}"#,
            "\u{0}\u{1}binary",
        ] {
            std::fs::write(&path, content).unwrap();
            let (d, warning) = Drafts::load(&path);
            assert!(d.is_empty(), "{content}");
            assert!(warning.is_some(), "{content}");
        }
    }

    #[test]
    fn set_empty_removes_and_remove_returns() {
        let mut d = Drafts::new();
        d.set("a", "text");
        d.set("b", "other");
        assert_eq!(d.len(), 2);
        d.set("a", "  \n ");
        assert_eq!(d.get("a"), None);
        assert_eq!(d.remove("b").as_deref(), Some("other"));
        assert_eq!(d.remove("b"), None);
        assert!(d.is_empty());
    }

    #[test]
    fn open_draft_and_old_files_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        let mut map = BTreeMap::new();
        map.insert("p1".to_string(), "half a comm".to_string());
        map.insert("p2".to_string(), "   ".to_string());
        let d = Drafts::from_map(&map, Some("p1"));
        assert_eq!(d.open(), Some("p1"));
        assert_eq!(d.len(), 1);
        assert_eq!(Drafts::from_map(&map, Some("p2")).open(), None);
        std::fs::write(
            &path,
            r#"{"version": 1, "drafts": {"p1": "half a comm"}, "open": "p1"}"#,
        )
        .unwrap();
        let (loaded, warning) = Drafts::load(&path);
        assert!(warning.is_none());
        assert_eq!(loaded, d);
        // A file written before `open` existed still loads.
        std::fs::write(&path, r#"{"version": 1, "drafts": {"x": "y"}}"#).unwrap();
        let (old, warning) = Drafts::load(&path);
        assert!(warning.is_none());
        assert_eq!((old.get("x"), old.open()), (Some("y"), None));
        // `open` naming a post without a draft is dropped.
        std::fs::write(&path, r#"{"version": 1, "drafts": {}, "open": "z"}"#).unwrap();
        assert_eq!(Drafts::load(&path).0.open(), None);
    }

    #[test]
    fn shared_drafts_save_through_the_store() {
        let store = StoreHandle::memory();
        let account = Account::new("http://127.0.0.1:1", "agent_a");
        let (initial, _) = store.load_drafts(&account, None);
        let shared = SharedDrafts::new(store.clone(), account.clone(), initial);
        assert_eq!(shared.path(), None);
        let mut d = Drafts::new();
        d.set("p", "text");
        shared.set(d.clone());
        shared.clone().save_now().unwrap().unwrap();
        assert_eq!(store.load_drafts(&account, None).0, d);
        shared.set(Drafts::new());
        shared.save().unwrap();
        assert!(store.load_drafts(&account, None).0.is_empty());
    }

    #[test]
    fn a_post_draft_round_trips_and_a_foreign_body_is_kept_as_caption() {
        let d = PostDraft {
            source: "~/pics/a.png".into(),
            caption: "two\nlines \"quoted\"".into(),
            tags: "a, b".into(),
            schedule: "in 2h".into(),
        };
        assert!(!d.is_blank());
        assert_eq!(PostDraft::from_body(&d.to_body()), d);
        let odd = PostDraft::from_body("not json {");
        assert_eq!(odd.caption, "not json {");
        assert!(odd.source.is_empty());
        // A body from a version with fewer or more fields still loads.
        let old = PostDraft::from_body(r#"{"caption": "c"}"#);
        assert_eq!((old.caption.as_str(), old.source.as_str()), ("c", ""));
        assert!(PostDraft::default().is_blank());
    }

    #[test]
    fn default_path_is_in_state_dir() {
        if let Some(p) = default_path() {
            assert!(p.ends_with("aispace-tui/drafts.json"), "{}", p.display());
        }
    }
}
