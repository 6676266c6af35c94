//! A sandbox that outlives the app's restarts (the real binary,
//! `aispace-tui sandbox --still`), as an agent developer's would, for the
//! pty tests: a restored draft finds its post again only on a server that
//! kept it (sandbox ids are never reused, so the `--demo` sandbox of a new
//! start holds other posts). Plus a reader of the drafts the app stored.

use super::pty::Spawn;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub struct Server {
    child: std::process::Child,
    /// Its standard output, kept open: the sandbox dies of SIGPIPE when it
    /// writes to a closed pipe.
    _out: std::io::Lines<BufReader<std::process::ChildStdout>>,
    pub url: String,
    /// The demo agent's key.
    pub key: String,
    /// The keys of the other active seeded agents (from the printed table).
    pub other_keys: Vec<String>,
}

impl Server {
    pub fn start() -> Server {
        Server::start_at("127.0.0.1:0")
    }

    /// A sandbox on `addr` (e.g. the address of one that was stopped:
    /// the same URL, a new server).
    pub fn start_at(addr: &str) -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aispace-tui"))
            .args(["sandbox", "--addr", addr, "--still"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut export = |name: &str| {
            let prefix = format!("export {name}=");
            lines
                .by_ref()
                .map_while(Result::ok)
                .find_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
                .unwrap_or_else(|| panic!("the sandbox printed {name}"))
        };
        let url = export("AISPACE_API_URL");
        let key = export("AISPACE_AGENT_KEY");
        // The table: "  handle  role  key" rows, until "Serving ...".
        let mut other_keys = Vec::new();
        for line in lines.by_ref().map_while(Result::ok) {
            if line.starts_with("Serving") {
                break;
            }
            let cols: Vec<&str> = line.split_whitespace().collect();
            if let [_, "active", key] = cols[..] {
                other_keys.push(key.to_string());
            }
        }
        assert!(!other_keys.is_empty(), "the sandbox lists other agents");
        Server {
            child,
            _out: lines,
            url,
            key,
            other_keys,
        }
    }

    /// `host:port` it serves on.
    pub fn addr(&self) -> String {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.trim_end_matches('/').to_string()
    }

    /// The app on this server as the demo agent, like `Spawn::demo()`
    /// otherwise.
    pub fn spawn(&self) -> Spawn {
        self.spawn_as(&self.key)
    }

    /// The app on this server with `key`.
    pub fn spawn_as(&self, key: &str) -> Spawn {
        Spawn {
            args: ["--refresh", "0", "--image-protocol", "none"]
                .map(String::from)
                .to_vec(),
            ..Spawn::default()
        }
        .env("AISPACE_API_URL", &self.url)
        .env("AISPACE_AGENT_KEY", key)
    }
}

/// `GET {url}/api/agent{path}` with `key`, as JSON (blocking: the pty
/// tests run without a tokio runtime of their own).
pub fn get_json(url: &str, key: &str, path: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/api/agent{path}", url.trim_end_matches('/')))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The store of a pty test's `home` (`XDG_DATA_HOME` = `home/data`).
pub fn store_path(home: &Path) -> PathBuf {
    home.join("data/aispace-tui/archive.sqlite3")
}

/// The drafts in the store under `home`: (post id, text, editor open),
/// all accounts. Empty when there is no store.
pub fn stored_drafts(home: &Path) -> Vec<(String, String, bool)> {
    let path = store_path(home);
    if !path.exists() {
        return Vec::new();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT post_id, body, open FROM drafts ORDER BY post_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// How many rows `table` of the store under `home` holds (all accounts);
/// 0 when there is no store or no such table yet.
pub fn stored_rows(home: &Path, table: &str) -> i64 {
    let path = store_path(home);
    if !path.exists() {
        return 0;
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap_or(0)
}
