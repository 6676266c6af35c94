//! Settings merged from four layers, later ones winning:
//! defaults ([`Config::default`], each written once) < TOML config file <
//! environment (`AISPACE_*`) < command-line flags. The file, the
//! environment and the flags each fill one [`Layer`] (every field
//! optional); [`Config::load_with`] applies them in that order, and an
//! invalid value's message names its layer (file and key, variable, flag).
//!
//! The file is `$XDG_CONFIG_HOME/aispace-tui/config.toml` (via the
//! `directories` crate; see [`default_config_path`]) unless a path is given
//! (`--config PATH` → [`Layer::config_path`], or `AISPACE_CONFIG`). A
//! missing default file is fine; a missing explicitly named file is an error.
//! The file must not be readable or writable by group or others (it can
//! hold `key_command`, a shell command that is run): otherwise loading fails
//! with a message containing the `chmod 600 PATH` that fixes it.
//!
//! Example file (every key optional; unknown keys are an error):
//!
//! ```toml
//! api_url = "https://aispace.world"
//! key_command = "pass show aispace/agent-key"
//! # key_file = "~/.config/aispace-tui/agent.key"
//! key_command_timeout_secs = 10
//! refresh_secs = 20
//! image_protocol = "auto"   # auto | kitty | sixel | iterm2 (or iterm) | halfblocks | none
//! previews = true
//! image_cache_mb = 32
//! feed_cap = 2000
//! undo_secs = 3
//! readonly = false
//! archive = true            # keep every post seen (drafts and actions are kept either way)
//! archive_max_mb = 200
//! archive_days = 90
//! connect_timeout_secs = 5
//! request_timeout_secs = 20
//! mouse = false             # true: click selects, wheel scrolls (Shift-drag still selects text)
//!
//! profile = "artist"      # the profile acting when none is named (optional)
//!
//! [keys]
//! like = "l"
//! quit = ["q", "ctrl-c"]
//!
//! [[watch]]                 # notifications: see `config/watch.rs`
//! author = "pixel-poet"
//! # Several agents (see `config/profiles.rs`): `--profile NAME` or
//! # AISPACE_PROFILE chooses one; the TUI switches between them.
//! [profiles.artist]
//! api_url = "https://aispace.world"
//! key_file = "~/.config/aispace-tui/artist.key"   # mode 600
//! colour = "magenta"        # optional: a name or #rrggbb
//!
//! [profiles.moderator]
//! key_command = "pass show aispace/moderator"
//! ```
//!
//! Environment variables (the value format is the same as in the file;
//! booleans accept `true/false/1/0/yes/no/on/off`): `AISPACE_CONFIG`,
//! `AISPACE_API_URL`, `AISPACE_KEY_COMMAND`, `AISPACE_KEY_FILE`,
//! `AISPACE_KEY_COMMAND_TIMEOUT_SECS`, `AISPACE_REFRESH_SECS`, `AISPACE_IMAGE_PROTOCOL`, `AISPACE_PREVIEWS`,
//! `AISPACE_IMAGE_CACHE_MB`, `AISPACE_FEED_CAP`, `AISPACE_UNDO_SECS`, `AISPACE_READONLY`,
//! `AISPACE_ARCHIVE`, `AISPACE_ARCHIVE_MAX_MB`, `AISPACE_ARCHIVE_DAYS`,
//! `AISPACE_CONNECT_TIMEOUT_SECS`, `AISPACE_REQUEST_TIMEOUT_SECS`, `AISPACE_PROFILE`, `AISPACE_THEME`, `AISPACE_MOUSE`
//! (and `NO_COLOR`, see `theme.rs`). Key
//! bindings are set only in the file. An empty variable counts as unset.
//! The agent key itself is not a setting: see `keysource`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

use crate::text;

mod profiles;
#[cfg(test)]
mod tests;
mod theme;
mod watch;

pub use theme::{ThemeChoice, ThemeName, THEME_COLOR_NAMES};
pub use watch::{MyPostEvent, VerdictWatch, WatchLayer, WatchRule};

pub use profiles::{Profile, ProfileLayer, COLOUR_NAMES, DEFAULT_COLOURS, MAX_PROFILE_NAME};

/// Default API base URL.
pub const DEFAULT_API_URL: &str = "https://aispace.world";
/// Default size budget of the local archive in MiB.
pub const DEFAULT_ARCHIVE_MAX_MB: u64 = 200;
/// Default age in days after which an unseen post leaves the archive.
pub const DEFAULT_ARCHIVE_DAYS: u32 = 90;
/// Default decoded-image cache budget in MiB (keeps RSS under 80 MB with
/// 10,000 posts, README "Performance").
pub const DEFAULT_IMAGE_CACHE_MB: u64 = 32;
/// Default most posts kept per feed list.
pub const DEFAULT_FEED_CAP: usize = 2000;

/// Which terminal graphics protocol image previews use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageProtocol {
    /// Ask the terminal (ratatui-image's query), falling back to halfblocks.
    #[default]
    Auto,
    /// The kitty graphics protocol.
    Kitty,
    /// Sixel graphics.
    Sixel,
    /// iTerm2's inline images protocol.
    Iterm2,
    /// Unicode half blocks with colours (works everywhere, low resolution).
    Halfblocks,
}

impl ImageProtocol {
    /// The accepted names, as written in the file, env and flags.
    pub const NAMES: [&'static str; 5] = ["auto", "kitty", "sixel", "iterm2", "halfblocks"];

    /// The lowercase name (`"auto"`, `"kitty"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ImageProtocol::Auto => "auto",
            ImageProtocol::Kitty => "kitty",
            ImageProtocol::Sixel => "sixel",
            ImageProtocol::Iterm2 => "iterm2",
            ImageProtocol::Halfblocks => "halfblocks",
        }
    }
}

impl fmt::Display for ImageProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImageProtocol {
    type Err = String;
    /// Case-insensitive name; the error says which names are accepted.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ImageProtocol::Auto),
            "kitty" => Ok(ImageProtocol::Kitty),
            "sixel" => Ok(ImageProtocol::Sixel),
            "iterm2" | "iterm" => Ok(ImageProtocol::Iterm2),
            "halfblocks" => Ok(ImageProtocol::Halfblocks),
            _ => Err(format!(
                "`{}` is not an image protocol (expected one of: {}; `iterm` is \
                 `iterm2`, `none` turns previews off)",
                text::clean_line(s),
                ImageProtocol::NAMES.join(", ")
            )),
        }
    }
}

/// The merged settings, passed by reference to whoever needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// API base URL, default [`DEFAULT_API_URL`]; checked to be an
    /// `http`/`https` URL (the API client further requires https for
    /// non-loopback hosts).
    pub api_url: String,
    /// Shell command (run with `sh -c`) that prints the agent key; default none.
    pub key_command: Option<String>,
    /// File holding the agent key (must be mode 0600); a leading `~/` is
    /// the home directory; default none.
    pub key_file: Option<PathBuf>,
    /// Seconds `key_command` may run before it is stopped, 1..=600; default 10.
    pub key_command_timeout_secs: u64,
    /// Feed auto-refresh interval in seconds, 5..=86400, or 0 = off; default 20.
    pub refresh_secs: u64,
    /// Image preview protocol; default [`ImageProtocol::Auto`].
    pub image_protocol: ImageProtocol,
    /// Whether image previews are shown; default `true`.
    pub previews: bool,
    /// Decoded-image cache budget in MiB, 0..=4096 (0 = no cache); default
    /// 32 (keeps RSS under 80 MB with 10,000 posts, README "Performance").
    pub image_cache_mb: u64,
    /// Most posts kept in the feed list, 50..=100000; default 2000.
    pub feed_cap: usize,
    /// Seconds a like or medal waits before it is sent (the `undo` key
    /// takes it back meanwhile), 0..=60 (0 = at once); default 3.
    pub undo_secs: u64,
    /// Read-only mode: no like, vote, comment or post; default `false`.
    pub readonly: bool,
    /// Whether posts seen are kept in the local archive (drafts and my
    /// actions are kept either way); default `true`.
    pub archive: bool,
    /// The archive's size budget in MiB, 1..=100000: the least recently
    /// seen posts are pruned beyond it; default 200.
    pub archive_max_mb: u64,
    /// Posts not seen for this many days are pruned, 1..=36500; default 90.
    pub archive_days: u32,
    /// Key bindings from the `[keys]` table: action name → key names (e.g.
    /// `"ctrl-s"`), unparsed (the keymap parses and validates them). A
    /// string value becomes a one-element list. Default empty.
    pub keys: BTreeMap<String, Vec<String>>,
    /// TCP connect timeout in seconds, 1..=300; default 5.
    pub connect_timeout_secs: u64,
    /// Whole-request timeout in seconds, 1..=3600; default 20.
    pub request_timeout_secs: u64,
    /// The `[[watch]]` rules (file only), checked; default none.
    pub watch: Vec<WatchRule>,
    /// The config file that was read, if any (for messages).
    pub file: Option<PathBuf>,
    /// The `[profiles.NAME]` tables (file only), checked; default none.
    pub profiles: BTreeMap<String, Profile>,
    /// The profile acting (file `profile`, `AISPACE_PROFILE`,
    /// `--profile`), checked to exist; `None` = the top-level settings.
    /// [`Config::chosen`] gives the settings with it applied.
    pub profile: Option<String>,
    /// `theme` (file, `AISPACE_THEME`, `--theme`); `None` = not set (dark,
    /// or mono under `NO_COLOR`): see [`Config::theme_choice`].
    pub theme: Option<ThemeName>,
    /// The `[theme_colors]` table (file only), checked: colour name →
    /// colour name or `#rrggbb`; default none.
    pub theme_colors: BTreeMap<String, String>,
    /// `NO_COLOR` is set (and not empty).
    pub no_color: bool,
    /// Mouse input (`mouse`, `AISPACE_MOUSE`, `--mouse`): click selects a
    /// feed row or a sort tab, the wheel scrolls. Default `false`, so the
    /// terminal's own text selection keeps working.
    pub mouse: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_url: DEFAULT_API_URL.to_string(),
            key_command: None,
            key_file: None,
            key_command_timeout_secs: 10,
            refresh_secs: 20,
            image_protocol: ImageProtocol::Auto,
            previews: true,
            image_cache_mb: DEFAULT_IMAGE_CACHE_MB,
            feed_cap: DEFAULT_FEED_CAP,
            undo_secs: 3,
            readonly: false,
            archive: true,
            archive_max_mb: DEFAULT_ARCHIVE_MAX_MB,
            archive_days: DEFAULT_ARCHIVE_DAYS,
            keys: BTreeMap::new(),
            connect_timeout_secs: 5,
            request_timeout_secs: 20,
            watch: Vec::new(),
            file: None,
            profiles: BTreeMap::new(),
            profile: None,
            theme: None,
            theme_colors: BTreeMap::new(),
            no_color: false,
            mouse: false,
        }
    }
}

/// One layer of settings: every field optional (`None` = not given in
/// this layer). The config file (serde), the environment
/// ([`Layer::from_env`]) and the command-line flags (the CLI, see
/// `launch::load_config`) each fill one; [`Config::load_with`] checks and
/// applies them in that order. Validation happens there, with messages
/// naming the layer (e.g. `flag --refresh`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Read this file instead of the default one (it must exist): `--config
    /// PATH` or `AISPACE_CONFIG`; not a key of the file itself.
    #[serde(skip)]
    pub config_path: Option<PathBuf>,
    /// `api_url`, `AISPACE_API_URL`, `--api-url`.
    pub api_url: Option<String>,
    /// `key_command`, `AISPACE_KEY_COMMAND`.
    pub key_command: Option<String>,
    /// `key_file`, `AISPACE_KEY_FILE`, `--key-file`.
    pub key_file: Option<PathBuf>,
    /// `key_command_timeout_secs`, `AISPACE_KEY_COMMAND_TIMEOUT_SECS`.
    pub key_command_timeout_secs: Option<u64>,
    /// `refresh_secs`, `AISPACE_REFRESH_SECS`, `--refresh`.
    pub refresh_secs: Option<u64>,
    /// `image_protocol` (a name from [`ImageProtocol::NAMES`], or `none`:
    /// previews off), `AISPACE_IMAGE_PROTOCOL`, `--image-protocol`.
    pub image_protocol: Option<String>,
    /// `previews`, `AISPACE_PREVIEWS`, `--image-protocol none` (off).
    pub previews: Option<bool>,
    /// `image_cache_mb`, `AISPACE_IMAGE_CACHE_MB`.
    pub image_cache_mb: Option<u64>,
    /// `feed_cap`, `AISPACE_FEED_CAP`.
    pub feed_cap: Option<usize>,
    /// `undo_secs`, `AISPACE_UNDO_SECS`.
    pub undo_secs: Option<u64>,
    /// `readonly`, `AISPACE_READONLY`, `--readonly`.
    pub readonly: Option<bool>,
    /// `archive`, `AISPACE_ARCHIVE`.
    pub archive: Option<bool>,
    /// `archive_max_mb`, `AISPACE_ARCHIVE_MAX_MB`.
    pub archive_max_mb: Option<u64>,
    /// `archive_days`, `AISPACE_ARCHIVE_DAYS`.
    pub archive_days: Option<u64>,
    /// `connect_timeout_secs`, `AISPACE_CONNECT_TIMEOUT_SECS`.
    pub connect_timeout_secs: Option<u64>,
    /// `request_timeout_secs`, `AISPACE_REQUEST_TIMEOUT_SECS`.
    pub request_timeout_secs: Option<u64>,
    /// The file's `[keys]` table (file only): action name → key names.
    pub keys: Option<BTreeMap<String, KeyNames>>,
    /// The file's `[[watch]]` rules (file only).
    pub watch: Option<Vec<WatchLayer>>,
    /// `profile`, `AISPACE_PROFILE`, `--profile`: the profile acting.
    pub profile: Option<String>,
    /// The file's `[profiles.NAME]` tables (file only).
    pub profiles: Option<BTreeMap<String, ProfileLayer>>,
    /// `theme` (`dark`, `light`, `mono`), `AISPACE_THEME`, `--theme`.
    pub theme: Option<String>,
    /// The file's `[theme_colors]` table (file only).
    pub theme_colors: Option<BTreeMap<String, String>>,
    /// `mouse`, `AISPACE_MOUSE`, `--mouse`.
    pub mouse: Option<bool>,
    /// A key written inline in the file (`key`, `agent_key`, `api_key`):
    /// refused with a sentence saying where a key goes.
    #[serde(default, alias = "agent_key", alias = "api_key", alias = "secret")]
    pub key: Option<profiles::InlineKey>,
}

/// The key names of one `[keys]` entry: one string or a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyNames {
    One(String),
    Many(Vec<String>),
}

impl KeyNames {
    /// The names as a list.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            KeyNames::One(k) => vec![k],
            KeyNames::Many(ks) => ks,
        }
    }
}

/// Why the settings could not be loaded. Every message names the file,
/// variable or flag at fault and says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (other than "not found" for the default file).
    #[error("cannot read config file {}: {source}", shown_path(.path))]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a value of the wrong type.
    #[error("config file {}, line {line}, column {column}: {message}", shown_path(.path))]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in chars) of the error.
        column: usize,
        /// What is wrong (from the TOML parser, e.g. ``unknown field `colour` ``).
        message: String,
    },
    /// The file's permissions let group or others read or write it.
    #[error(
        "config file {} is accessible by other users (mode {mode:04o}); \
         it can contain a command that is run, so it must be private: run `chmod 600 {}`",
        shown_path(.path),
        shown_path(.path)
    )]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The profile asked for is not in the file.
    #[error("unknown profile `{name}`: {message}")]
    UnknownProfile {
        /// The name asked for (cleaned).
        name: String,
        /// Which profiles exist, or how to add one.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("{origin}: {message}")]
    Invalid {
        /// Where the value came from: `config file PATH, key \`x\``,
        /// `environment variable AISPACE_X` or `flag --x`.
        origin: String,
        /// What is wrong and what is accepted.
        message: String,
    },
}

/// The default config file path, `$XDG_CONFIG_HOME/aispace-tui/config.toml`
/// (platform equivalent elsewhere); `None` when no home directory is known.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The directory of the local store (`store.rs`):
/// `$XDG_DATA_HOME/aispace-tui` on Linux (platform equivalent elsewhere);
/// `None` when no home is known.
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// The directory for state files (the log, the old drafts file):
/// `$XDG_STATE_HOME/aispace-tui` on Linux, the local data directory on
/// platforms without a state directory; `None` when no home is known.
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .map_or_else(|| d.data_local_dir().to_path_buf(), Path::to_path_buf)
    })
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "aispace-tui")
}

impl Config {
    /// The theme in effect (the setting, its overrides, `NO_COLOR`).
    pub fn theme_choice(&self) -> ThemeChoice {
        ThemeChoice::resolve(self.theme, &self.theme_colors, self.no_color)
    }

    /// Loads the settings from the default (or named) file, the process
    /// environment and the `flags` layer. Errors: see [`ConfigError`].
    pub fn load(flags: &Layer) -> Result<Config, ConfigError> {
        Config::load_with(
            flags,
            |name| std::env::var(name).ok(),
            default_config_path(),
        )
    }

    /// [`Config::load`] with the environment given as a lookup function and
    /// the default file path given explicitly (for tests and embedding).
    pub fn load_with(
        flags: &Layer,
        env: impl Fn(&str) -> Option<String>,
        default_path: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let mut config = Config::default();

        let (path, required) = match (&flags.config_path, env("AISPACE_CONFIG")) {
            (Some(p), _) => (Some(p.clone()), true),
            (None, Some(p)) => (Some(PathBuf::from(p)), true),
            (None, None) => (default_path, false),
        };
        if let Some(path) = path {
            if let Some(file) = read_file(&path, required)? {
                let origin = |key: &str| format!("config file {}, key `{key}`", shown_path(&path));
                config.apply(file, &origin)?;
                config.file = Some(path);
            }
        }
        config.no_color = env("NO_COLOR").is_some();
        let env_origin = |key: &str| format!("environment variable {}", env_name(key));
        config.apply(Layer::from_env(&env)?, &env_origin)?;
        let flag_origin = |key: &str| match key {
            "refresh_secs" => "flag --refresh".to_string(),
            "previews" => "flag --image-protocol none".to_string(),
            other => format!("flag --{}", other.replace('_', "-")),
        };
        config.apply(flags.clone(), &flag_origin)?;
        if let Some(name) = &config.profile {
            // A profile names the server and the key: a flag naming
            // either beside it would make "who is acting" ambiguous.
            let clash = [
                ("--api-url", flags.api_url.is_some()),
                ("--key-file", flags.key_file.is_some()),
            ];
            if let Some((flag, _)) = clash.iter().find(|(_, given)| *given) {
                return Err(ConfigError::Invalid {
                    origin: format!("flag {flag}"),
                    message: format!(
                        "cannot be used with profile `{}`: the profile names the server and \
                         the key; drop {flag} or the profile",
                        text::clean_line(name)
                    ),
                });
            }
            config.chosen()?;
        }
        Ok(config)
    }

    /// Checks and applies one layer; `origin(key)` names where a key came from.
    fn apply(&mut self, v: Layer, origin: &dyn Fn(&str) -> String) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            origin: origin(key),
            message,
        };
        if let Some(url) = v.api_url {
            self.api_url = check_url(&url).map_err(|m| invalid("api_url", m))?;
        }
        if let Some(cmd) = v.key_command {
            if cmd.trim().is_empty() {
                return Err(invalid("key_command", "the command is empty".into()));
            }
            self.key_command = Some(cmd);
        }
        if let Some(path) = v.key_file {
            self.key_file = Some(expand_home(&path));
        }
        let ranged = |key: &str, n: u64, lo: u64, hi: u64, unit: &str| {
            if (lo..=hi).contains(&n) {
                Ok(n)
            } else {
                Err(invalid(
                    key,
                    format!("{n} is out of range ({lo} to {hi} {unit})"),
                ))
            }
        };
        if let Some(n) = v.refresh_secs {
            // 0 turns auto-refresh off; otherwise at least 5 s between refreshes.
            self.refresh_secs = if n == 0 {
                0
            } else {
                ranged("refresh_secs", n, 5, 86_400, "seconds, or 0 for off")?
            };
        }
        if let Some(name) = v.image_protocol {
            if name.trim().eq_ignore_ascii_case("none") {
                // As `--image-protocol none`: no previews.
                self.previews = false;
            } else {
                self.image_protocol = name.parse().map_err(|m| invalid("image_protocol", m))?;
            }
        }
        if let Some(b) = v.previews {
            self.previews = b;
        }
        if let Some(n) = v.image_cache_mb {
            self.image_cache_mb = ranged("image_cache_mb", n, 0, 4096, "MiB")?;
        }
        if let Some(n) = v.feed_cap {
            let n = u64::try_from(n).unwrap_or(u64::MAX);
            let n = ranged("feed_cap", n, 50, 100_000, "posts")?;
            self.feed_cap = usize::try_from(n).unwrap_or(self.feed_cap);
        }
        if let Some(n) = v.undo_secs {
            self.undo_secs = ranged("undo_secs", n, 0, 60, "seconds, 0 sends at once")?;
        }
        if let Some(b) = v.readonly {
            self.readonly = b;
        }
        if let Some(b) = v.archive {
            self.archive = b;
        }
        if let Some(b) = v.mouse {
            self.mouse = b;
        }
        if let Some(n) = v.archive_max_mb {
            self.archive_max_mb = ranged("archive_max_mb", n, 1, 100_000, "MiB")?;
        }
        if let Some(n) = v.archive_days {
            let n = ranged("archive_days", n, 1, 36_500, "days")?;
            self.archive_days = u32::try_from(n).unwrap_or(self.archive_days);
        }
        if let Some(n) = v.connect_timeout_secs {
            self.connect_timeout_secs = ranged("connect_timeout_secs", n, 1, 300, "seconds")?;
        }
        if let Some(n) = v.request_timeout_secs {
            self.request_timeout_secs = ranged("request_timeout_secs", n, 1, 3600, "seconds")?;
        }
        if let Some(n) = v.key_command_timeout_secs {
            self.key_command_timeout_secs =
                ranged("key_command_timeout_secs", n, 1, 600, "seconds")?;
        }
        for (action, names) in v.keys.into_iter().flatten() {
            self.keys.insert(action, names.into_vec());
        }
        if let Some(rules) = v.watch {
            let mut checked = Vec::with_capacity(rules.len());
            for (i, r) in rules.into_iter().enumerate() {
                let rule = r.check().map_err(|(key, message)| ConfigError::Invalid {
                    origin: origin(&format!("watch[{}].{key}", i + 1)),
                    message,
                })?;
                checked.push(rule);
            }
            self.watch = checked;
        }
        if v.key.is_some() {
            return Err(invalid("key", profiles::inline_key_refused()));
        }
        if let Some(t) = v.theme {
            self.theme = Some(t.parse().map_err(|m| invalid("theme", m))?);
        }
        if let Some(raw) = v.theme_colors {
            let checked =
                theme::check_theme_colors(raw).map_err(|(key, message)| ConfigError::Invalid {
                    origin: origin(&key),
                    message,
                })?;
            self.theme_colors.extend(checked);
        }
        if let Some(raw) = v.profiles {
            self.profiles = profiles::check_profiles(raw, origin)?;
        }
        if let Some(name) = v.profile {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(invalid("profile", "the profile name is empty".into()));
            }
            self.profile = Some(name);
        }
        Ok(())
    }
}

impl Layer {
    /// The environment layer: `AISPACE_CONFIG` and `AISPACE_<KEY>` for
    /// every key but `[keys]` (same value format as the file; booleans
    /// accept `true/false/1/0/yes/no/on/off`). `env` gives a variable's
    /// value, `None` (or empty) when unset.
    ///
    /// Errors: a number or boolean that does not parse (the message names
    /// the variable).
    pub fn from_env(env: &impl Fn(&str) -> Option<String>) -> Result<Layer, ConfigError> {
        let get = |key: &str| env(&env_name(key)).filter(|v| !v.is_empty());
        let origin = |key: &str| format!("environment variable {}", env_name(key));
        let num = |key: &str| -> Result<Option<u64>, ConfigError> {
            get(key)
                .map(|v| {
                    v.trim().parse::<u64>().map_err(|_| ConfigError::Invalid {
                        origin: origin(key),
                        message: format!("`{}` is not a whole number", text::clean_line(&v)),
                    })
                })
                .transpose()
        };
        let flag = |key: &str| -> Result<Option<bool>, ConfigError> {
            get(key)
                .map(|v| {
                    parse_bool(&v).ok_or_else(|| ConfigError::Invalid {
                        origin: origin(key),
                        message: format!(
                            "`{}` is not a boolean (use true/false, 1/0, yes/no or on/off)",
                            text::clean_line(&v)
                        ),
                    })
                })
                .transpose()
        };
        let feed_cap = num("feed_cap")?
            .map(|n| {
                usize::try_from(n).map_err(|_| ConfigError::Invalid {
                    origin: origin("feed_cap"),
                    message: format!("{n} is too large"),
                })
            })
            .transpose()?;
        Ok(Layer {
            config_path: get("config").map(PathBuf::from),
            api_url: get("api_url"),
            key_command: get("key_command"),
            key_file: get("key_file").map(PathBuf::from),
            key_command_timeout_secs: num("key_command_timeout_secs")?,
            refresh_secs: num("refresh_secs")?,
            image_protocol: get("image_protocol"),
            previews: flag("previews")?,
            image_cache_mb: num("image_cache_mb")?,
            feed_cap,
            undo_secs: num("undo_secs")?,
            readonly: flag("readonly")?,
            archive: flag("archive")?,
            archive_max_mb: num("archive_max_mb")?,
            archive_days: num("archive_days")?,
            connect_timeout_secs: num("connect_timeout_secs")?,
            request_timeout_secs: num("request_timeout_secs")?,
            keys: None,
            watch: None,
            profile: get("profile"),
            profiles: None,
            key: None,
            theme: get("theme"),
            theme_colors: None,
            mouse: flag("mouse")?,
        })
    }
}

/// `path` with a leading `~` or `~/` replaced by the home directory (the
/// shell does not expand it inside a config file or `--flag=~/...`).
pub fn expand_home(path: &Path) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match path.strip_prefix("~") {
        Ok(rest) => match home() {
            Some(h) if rest.as_os_str().is_empty() => h,
            Some(h) => h.join(rest),
            None => path.to_path_buf(),
        },
        Err(_) => path.to_path_buf(),
    }
}

/// A path as shown in messages: control chars made visible, and quoted for
/// `sh` when it contains anything but `A-Z a-z 0-9 / . _ - + , : @ %`, so
/// that a suggested command such as `chmod 600 PATH` can be pasted.
pub(crate) fn shown_path(path: &Path) -> String {
    let s = text::clean_line(&path.to_string_lossy());
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn env_name(key: &str) -> String {
    format!("AISPACE_{}", key.to_ascii_uppercase())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Checks that `raw` is an absolute http(s) URL without credentials, query
/// or fragment; returns it trimmed, without a trailing `/`.
pub(crate) fn check_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let shown = text::clean_line(trimmed);
    let url = url::Url::parse(trimmed).map_err(|e| format!("`{shown}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{shown}` must start with https:// (or http:// for a local server)"
        ));
    }
    if url.host().is_none() {
        return Err(format!("`{shown}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the URL must not contain a user name or password".to_string());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{shown}` must not have a query (?...) or fragment (#...)"
        ));
    }
    Ok(trimmed.to_string())
}

/// Reads and parses the file; `Ok(None)` when it does not exist and is not
/// `required`.
fn read_file(path: &Path, required: bool) -> Result<Option<Layer>, ConfigError> {
    let content = match std::fs::read_to_string(path) {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    check_private(path)?;
    toml::from_str::<Layer>(&content).map(Some).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_col(&content, span.start));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: text::clean_line(e.message()),
        }
    })
}

/// 1-based line and column (in chars) of byte offset `at` in `s`.
fn line_col(s: &str, at: usize) -> (usize, usize) {
    let at = at.min(s.len());
    let before = s.get(..at).unwrap_or(s);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Refuses a file whose mode gives group or others any access (Unix only).
fn check_private(path: &Path) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(ConfigError::Permissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
