//! Unsent comment drafts, one per post id, kept across runs.
//!
//! File: [`default_path`] (`$XDG_STATE_HOME/aispace-tui/drafts.json`), JSON
//! `{"version": 1, "drafts": {"<post id>": "<text>", ...}, "open": "<post id>"}`
//! (`open`, optional: the draft whose editor was open when the program
//! left; it is opened again on the next start), mode 0600,
//! written atomically (a temporary file in the same directory, then
//! `rename`). Loading never fails: a missing file gives no drafts; an
//! unreadable or corrupt file gives no drafts plus a warning for the status
//! line, and a corrupt one is moved aside to `drafts.json.bad` (replacing an
//! older one) so the next save does not destroy it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use serde::{Deserialize, Serialize};

use crate::config::{shown_path, state_dir};

/// Largest drafts file read, in bytes; a larger file is treated as corrupt.
pub const MAX_DRAFTS_FILE_BYTES: u64 = 16 * 1024 * 1024;

const VERSION: u32 = 1;

/// `state_dir()/drafts.json`; `None` when no home directory is known.
pub fn default_path() -> Option<PathBuf> {
    state_dir().map(|d| d.join("drafts.json"))
}

/// Drafts by post id, plus which one had its editor open. Empty drafts are
/// not stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts {
    map: BTreeMap<String, String>,
    open: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftsFile {
    version: u32,
    drafts: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open: Option<String>,
}

/// Saving failed; the message names the file and the cause.
#[derive(Debug, thiserror::Error)]
#[error("cannot save drafts to {}: {source}", shown_path(.path))]
pub struct SaveError {
    /// The drafts file.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

impl Drafts {
    /// No drafts.
    pub fn new() -> Self {
        Drafts::default()
    }

    /// Loads drafts from `path`. Never fails: returns the drafts and, when
    /// the file could not be used, a warning sentence for the user (the file
    /// is then moved aside to `<path>.bad` if it was corrupt). A missing file
    /// gives no drafts and no warning.
    pub fn load(path: &Path) -> (Drafts, Option<String>) {
        let bytes = match read_limited(path) {
            Ok(Some(b)) => b,
            Ok(None) => return (Drafts::new(), None),
            Err(e) => {
                return (
                    Drafts::new(),
                    Some(format!(
                        "Could not read drafts from {} ({e}); starting without saved drafts.",
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
                let bad = bad_path(path);
                let moved = match std::fs::rename(path, &bad) {
                    Ok(()) => format!("moved it to {}", shown_path(&bad)),
                    Err(e) => format!("could not move it aside ({e}); the next save replaces it"),
                };
                let reason = crate::text::truncate(&crate::text::clean_line(&reason), 200);
                (
                    Drafts::new(),
                    Some(format!(
                        "The drafts file {} is damaged ({reason}); {moved}. Starting without saved drafts.",
                        shown_path(path)
                    )),
                )
            }
        }
    }

    /// Writes all drafts to `path` atomically with mode 0600, creating the
    /// parent directory (mode 0700) if needed.
    pub fn save(&self, path: &Path) -> Result<(), SaveError> {
        let err = |source| SaveError {
            path: path.to_path_buf(),
            source,
        };
        let file = DraftsFile {
            version: VERSION,
            drafts: self.map.clone(),
            open: self.open.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| err(e.into()))?;
        write_atomic(path, &json).map_err(err)
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

/// The latest drafts of a running TUI, shared between the runtime (which
/// replaces the snapshot after every change, [`SharedDrafts::set`]) and the
/// exits that cannot reach the runtime's state: the panic hook, signals,
/// failures ([`SharedDrafts::save_now`]). Cheap to clone (one shared state).
#[derive(Debug, Clone)]
pub struct SharedDrafts {
    inner: Arc<Mutex<SharedState>>,
}

#[derive(Debug)]
struct SharedState {
    path: PathBuf,
    current: Drafts,
    /// What the file holds (as far as this process knows).
    on_disk: Option<Drafts>,
}

impl SharedDrafts {
    /// A snapshot starting with `initial` (what was loaded from `path`),
    /// saved to `path`.
    pub fn new(path: PathBuf, initial: Drafts) -> Self {
        SharedDrafts {
            inner: Arc::new(Mutex::new(SharedState {
                path,
                on_disk: Some(initial.clone()),
                current: initial,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SharedState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The drafts file.
    pub fn path(&self) -> PathBuf {
        self.lock().path.clone()
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

    /// Writes the snapshot to the file unless the file already holds it;
    /// `Ok(true)` when it was written.
    pub fn save(&self) -> Result<bool, SaveError> {
        let mut s = self.lock();
        Self::save_locked(&mut s)
    }

    fn save_locked(s: &mut SharedState) -> Result<bool, SaveError> {
        if s.on_disk.as_ref() == Some(&s.current) {
            return Ok(false);
        }
        s.current.save(&s.path)?;
        s.on_disk = Some(s.current.clone());
        Ok(true)
    }

    /// Like [`SharedDrafts::save`] but never waits for the lock (for the
    /// panic hook, whose thread may hold it): `None` when it is held.
    pub fn save_now(&self) -> Option<Result<bool, SaveError>> {
        let mut s = match self.inner.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        Some(Self::save_locked(&mut s))
    }
}

fn bad_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bad");
    path.with_file_name(name)
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

/// Writes `bytes` to a new private temporary file next to `path`, syncs it
/// and renames it over `path`.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp.{}", std::process::id()));
    let tmp = dir.join(name);
    let result = (|| {
        let mut file = open_private_new(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates (replacing a stale leftover) a file only the owner can access.
fn open_private_new(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            options.open(path)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn missing_file_is_empty_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let (d, warning) = Drafts::load(&dir.path().join("drafts.json"));
        assert!(d.is_empty());
        assert!(warning.is_none());
    }

    #[test]
    fn save_then_load_round_trips_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/aispace-tui/drafts.json");
        let mut d = Drafts::new();
        d.set("post_1", "first draft\nline two");
        d.set("post/../2", "odd id \u{1b}[2J");
        d.save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let (loaded, warning) = Drafts::load(&path);
        assert!(warning.is_none());
        assert_eq!(loaded, d);
        assert_eq!(loaded.get("post_1"), Some("first draft\nline two"));
        // No temporary file left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["drafts.json"]);
    }

    #[test]
    fn save_replaces_existing_file_and_fixes_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut d = Drafts::new();
        d.set("p", "new");
        d.save(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(Drafts::load(&path).0.get("p"), Some("new"));
    }

    #[test]
    fn corrupt_file_is_moved_aside_with_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        std::fs::write(&path, "{\"version\": 1, \"drafts\": {\"p\": ").unwrap();
        let (d, warning) = Drafts::load(&path);
        assert!(d.is_empty());
        let warning = warning.expect("a warning");
        assert!(warning.contains("drafts.json.bad"), "{warning}");
        assert!(!path.exists());
        let bad = dir.path().join("drafts.json.bad");
        assert_eq!(
            std::fs::read_to_string(bad).unwrap(),
            "{\"version\": 1, \"drafts\": {\"p\": "
        );
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
    fn save_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, "x").unwrap();
        let path = blocker.join("drafts.json");
        let err = Drafts::new().save(&path).unwrap_err();
        assert!(err.to_string().contains("not-a-dir/drafts.json"), "{err}");
    }

    #[test]
    fn open_draft_round_trips_and_old_files_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        let mut map = BTreeMap::new();
        map.insert("p1".to_string(), "half a comm".to_string());
        map.insert("p2".to_string(), "   ".to_string());
        let d = Drafts::from_map(&map, Some("p1"));
        assert_eq!(d.open(), Some("p1"));
        assert_eq!(d.len(), 1);
        d.save(&path).unwrap();
        let (loaded, warning) = Drafts::load(&path);
        assert!(warning.is_none());
        assert_eq!(loaded.open(), Some("p1"));
        assert_eq!(Drafts::from_map(&map, Some("p2")).open(), None);
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
    fn shared_drafts_save_only_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drafts.json");
        let shared = SharedDrafts::new(path.clone(), Drafts::new());
        assert!(!shared.save().unwrap(), "nothing changed: no write");
        assert!(!path.exists());
        let mut d = Drafts::new();
        d.set("p", "text");
        shared.set(d.clone());
        assert!(shared.clone().save_now().unwrap().unwrap());
        assert_eq!(Drafts::load(&path).0, d);
        assert!(!shared.save().unwrap());
        shared.set(Drafts::new());
        assert!(shared.save().unwrap());
        assert!(Drafts::load(&path).0.is_empty());
    }

    #[test]
    fn default_path_is_in_state_dir() {
        if let Some(p) = default_path() {
            assert!(p.ends_with("aispace-tui/drafts.json"), "{}", p.display());
        }
    }
}
