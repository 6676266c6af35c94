//! [`StoreHandle`]: the one background thread that owns the store's
//! connection. The UI thread sends it jobs on a channel and never touches
//! SQLite itself; a job's answer comes back on a channel or through a
//! callback (e.g. a message to the app's loop).

use super::{Account, Location, Store};
use crate::drafts::Drafts;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

/// How long a caller that waits for the store (start-up reads, the last
/// save when leaving) waits at most.
pub const WAIT: Duration = Duration::from_secs(10);

type Job = Box<dyn FnOnce(&mut Writer) + Send>;

/// The thread's state: the store (`None` when not even a memory store
/// could be made) and, per account, the drafts this process last read or
/// wrote (so a save writes only the rows that changed).
pub(super) struct Writer {
    store: Option<Store>,
    written: HashMap<Account, Drafts>,
}

const NO_STORE: &str = "no store could be opened";

impl Writer {
    pub(super) fn store(&mut self) -> Result<&mut Store, String> {
        self.store.as_mut().ok_or_else(|| NO_STORE.to_string())
    }

    fn save(&mut self, account: &Account, drafts: &Drafts) -> Result<(), String> {
        let before = self.written.get(account).cloned().unwrap_or_default();
        if &before == drafts {
            return Ok(());
        }
        self.store()?
            .write_drafts(account, &before, drafts)
            .map_err(|e| crate::text::truncate(&crate::text::clean_line(&e.to_string()), 200))?;
        self.written.insert(account.clone(), drafts.clone());
        Ok(())
    }
}

/// A cheap-to-clone handle on the store's background thread.
#[derive(Debug, Clone)]
pub struct StoreHandle {
    tx: Sender<Job>,
    location: Location,
}

impl StoreHandle {
    /// Opens the store at `path` (see [`Store::open`]: never fails) and
    /// starts its thread. The sentence, when there is one, is for the
    /// status line.
    pub fn open(path: &Path) -> (StoreHandle, Option<String>) {
        let (store, notice) = Store::open(path);
        match store {
            Ok(s) => (StoreHandle::start(Some(s)), notice),
            Err(e) => (
                StoreHandle::start(None),
                Some(format!(
                    "Cannot keep drafts at all ({e}); they live only in the editor."
                )),
            ),
        }
    }

    /// A store in memory only, gone when the process ends (`--demo`).
    pub fn memory() -> StoreHandle {
        StoreHandle::start(Store::memory().ok())
    }

    fn start(store: Option<Store>) -> StoreHandle {
        let location = store
            .as_ref()
            .map_or(Location::Memory, |s| s.location().clone());
        let (tx, rx) = channel::<Job>();
        let mut writer = Writer {
            store,
            written: HashMap::new(),
        };
        let spawned = std::thread::Builder::new()
            .name("store".into())
            .spawn(move || {
                // Ends when every handle is gone. Between jobs, when none
                // waits, the write-ahead log is folded back if it grew.
                let mut next = rx.recv().ok();
                while let Some(job) = next {
                    job(&mut writer);
                    next = match rx.try_recv() {
                        Ok(job) => Some(job),
                        Err(TryRecvError::Empty) => {
                            if let Some(s) = writer.store.as_mut() {
                                s.checkpoint_if_due();
                            }
                            rx.recv().ok()
                        }
                        Err(TryRecvError::Disconnected) => None,
                    };
                }
            });
        if let Err(e) = spawned {
            tracing::error!("could not start the store thread: {e}");
        }
        StoreHandle { tx, location }
    }

    /// Where the store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The store file, unless the store is in memory.
    pub fn path(&self) -> Option<PathBuf> {
        match &self.location {
            Location::File(p) => Some(p.clone()),
            Location::Memory => None,
        }
    }

    /// Runs `f` on the store's thread; its answer comes on the receiver.
    pub(super) fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Writer) -> R + Send + 'static,
    ) -> Receiver<R> {
        let (reply, answer) = channel();
        let job: Job = Box::new(move |w| {
            let _ = reply.send(f(w));
        });
        if self.tx.send(job).is_err() {
            tracing::error!("the store thread is gone");
        }
        answer
    }

    /// Runs `f` on the store's thread and waits (at most `timeout`) for
    /// its answer.
    pub(super) fn wait<R: Send + 'static>(
        &self,
        timeout: Duration,
        f: impl FnOnce(&mut Writer) -> R + Send + 'static,
    ) -> Result<R, String> {
        match self.call(f).recv_timeout(timeout) {
            Ok(r) => Ok(r),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "the store did not answer within {} s",
                timeout.as_secs()
            )),
            Err(RecvTimeoutError::Disconnected) => Err("the store thread is gone".to_string()),
        }
    }

    /// Closes the store (its last writes are in the file; SQLite folds the
    /// write-ahead log back in) and waits for it. Later jobs fail.
    pub fn close(&self) {
        if let Err(e) = self.wait(WAIT, |w| drop(w.store.take())) {
            tracing::warn!("could not close the store: {e}");
        }
    }

    /// Remembers (in the background) that the key with `key_prefix` is
    /// `account` (after a successful `connect`).
    pub fn remember_account(&self, account: &Account, key_prefix: &str) {
        let account = account.clone();
        let prefix = key_prefix.to_string();
        drop(self.call(move |w| {
            let r = w.store().and_then(|s| {
                s.remember_account(&account.base_url, &prefix, &account.agent_id)
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = r {
                tracing::warn!("could not remember the account: {e}");
            }
        }));
    }

    /// Files what was kept for `from` under `to` from now on (in the
    /// background, before any job queued after this call): remembers `to`
    /// for the key with `key_prefix` and, when `from` is a stand-in, moves
    /// its rows to `to` (see [`Store::adopt`]).
    pub fn adopt(&self, from: &Account, to: &Account, key_prefix: &str) {
        let (from, to, prefix) = (from.clone(), to.clone(), key_prefix.to_string());
        drop(self.call(move |w| {
            if from.is_stand_in() {
                if let Some(written) = w.written.remove(&from) {
                    w.written.insert(to.clone(), written);
                }
            }
            let r = w.store().and_then(|s| {
                s.remember_account(&to.base_url, &prefix, &to.agent_id)
                    .and_then(|()| {
                        if from.is_stand_in() {
                            s.adopt(&from, &to)
                        } else {
                            Ok(())
                        }
                    })
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = r {
                tracing::warn!("could not file the stand-in account's rows under the agent: {e}");
            }
        }));
    }

    /// The account remembered for the key with `key_prefix` at `base_url`
    /// (waits for the store).
    pub fn find_account(&self, base_url: &str, key_prefix: &str) -> Option<Account> {
        let base = base_url.to_string();
        let prefix = key_prefix.to_string();
        let found = self.wait(WAIT, move |w| {
            w.store()
                .and_then(|s| s.find_account(&base, &prefix).map_err(|e| e.to_string()))
        });
        match found {
            Ok(Ok(a)) => a,
            Ok(Err(e)) | Err(e) => {
                tracing::warn!("could not look up the account: {e}");
                None
            }
        }
    }

    /// The drafts of `account` (waits for the store), after importing the
    /// old drafts file `legacy` once into it when given. A sentence for the
    /// status line comes with them when something could not be read.
    pub fn load_drafts(
        &self,
        account: &Account,
        legacy: Option<PathBuf>,
    ) -> (Drafts, Option<String>) {
        let account = account.clone();
        let loaded = self.wait(WAIT, move |w| {
            let store = w.store()?;
            let mut warning = None;
            if let Some(path) = legacy {
                match store.import_legacy_drafts(&account, &path) {
                    Ok((n, w)) => {
                        if n > 0 {
                            tracing::info!("imported {n} drafts from the old drafts file");
                        }
                        warning = w;
                    }
                    Err(e) => tracing::warn!("could not import the old drafts file: {e}"),
                }
            }
            let drafts = store.drafts(&account).map_err(|e| e.to_string())?;
            w.written.insert(account, drafts.clone());
            Ok::<_, String>((drafts, warning))
        });
        match loaded {
            Ok(Ok(d)) => d,
            Ok(Err(e)) | Err(e) => (
                Drafts::new(),
                Some(format!(
                    "Could not read saved drafts ({}); starting without them.",
                    crate::text::truncate(&crate::text::clean_line(&e), 200)
                )),
            ),
        }
    }

    /// Saves `drafts` as the drafts of `account` in the background (only
    /// the rows that changed since this process last read or wrote them);
    /// `done` hears the outcome on the store's thread.
    pub fn save_drafts(
        &self,
        account: &Account,
        drafts: Drafts,
        done: impl FnOnce(Result<(), String>) + Send + 'static,
    ) {
        let account = account.clone();
        drop(self.call(move |w| done(w.save(&account, &drafts))));
    }

    /// Like [`StoreHandle::save_drafts`] but waits (at most `timeout`) for
    /// the outcome.
    pub fn save_drafts_wait(
        &self,
        account: &Account,
        drafts: Drafts,
        timeout: Duration,
    ) -> Result<(), String> {
        let account = account.clone();
        self.wait(timeout, move |w| w.save(&account, &drafts))?
    }
}
