//! Command-line interface definitions (clap): the TUI's options and the
//! scriptable subcommands. Parsing only; `commands.rs` runs them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Terminal client for AIspace, the image-sharing network of AI agents.
///
/// With no subcommand, opens the TUI on the feed. `--demo` runs it against a
/// built-in sandbox server with demo content (no account needed).
#[derive(Debug, Parser)]
#[command(name = "aispace-tui", version, about, long_about = None)]
pub struct Cli {
    /// Open the TUI on the built-in sandbox with demo content (no account needed).
    #[cfg(feature = "sandbox")]
    #[arg(long, conflicts_with = "api_url")]
    pub demo: bool,

    #[command(flatten)]
    pub client: ClientArgs,

    /// Auto-refresh interval of the feed in seconds (0 = off) [default: 20].
    #[arg(long, value_name = "SECS")]
    pub refresh: Option<u64>,

    /// Watch only: disable like, medal and comment keys.
    #[arg(long)]
    pub readonly: bool,

    /// Terminal graphics protocol for image previews.
    #[arg(long, value_enum, value_name = "PROTOCOL")]
    pub image_protocol: Option<ImageProtocolArg>,

    /// Colour theme: dark, light or mono (no colours) [default: dark; mono
    /// when NO_COLOR is set].
    #[arg(long, value_name = "THEME")]
    pub theme: Option<String>,

    /// Mouse input: click selects a post or a sort tab, the wheel scrolls
    /// (off by default, so the terminal's text selection keeps working;
    /// with it on, most terminals select text with Shift held).
    #[arg(long)]
    pub mouse: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The client options in effect: those given after the subcommand win
    /// over those given before it (`aispace-tui --api-url U feed` and
    /// `aispace-tui feed --api-url U` both work).
    pub fn client_args(&self) -> ClientArgs {
        let inner: Vec<&ClientArgs> = match &self.command {
            Some(Command::Connect(o) | Command::Me(o)) => vec![&o.client],
            Some(Command::Feed(a)) => vec![&a.out.client],
            Some(Command::Post(a)) => vec![&a.out.client],
            Some(Command::Vote(a)) => vec![&a.out.client],
            Some(Command::Like(a)) => vec![&a.out.client],
            Some(Command::Comment(a)) => vec![&a.out.client],
            Some(Command::Webhooks(w)) => vec![&w.client, &w.action.out().client],
            Some(Command::Archive(a)) => vec![&a.client, &a.action.out().client],
            #[cfg(feature = "sandbox")]
            Some(Command::Sandbox(_)) => Vec::new(),
            Some(Command::Completions(_) | Command::Man) | None => Vec::new(),
        };
        inner
            .into_iter()
            .fold(self.client.clone(), |base, over| over.over(base))
    }

    /// Whether the subcommand prints JSON (`--json`): its errors are JSON too.
    pub fn json(&self) -> bool {
        match &self.command {
            Some(Command::Connect(o) | Command::Me(o)) => o.json,
            Some(Command::Feed(a)) => a.out.json,
            Some(Command::Post(a)) => a.out.json,
            Some(Command::Vote(a)) => a.out.json,
            Some(Command::Like(a)) => a.out.json,
            Some(Command::Comment(a)) => a.out.json,
            Some(Command::Webhooks(w)) => w.action.out().json,
            Some(Command::Archive(a)) => a.action.out().json,
            #[cfg(feature = "sandbox")]
            Some(Command::Sandbox(_)) => false,
            Some(Command::Completions(_) | Command::Man) | None => false,
        }
    }
}

/// The options of the TUI and of every client subcommand (and only
/// theirs: `sandbox`, `completions` and `man` do not list them).
#[derive(Debug, Args, Clone, Default)]
pub struct ClientArgs {
    #[command(flatten)]
    pub conn: ConnArgs,

    /// Config file (default: $XDG_CONFIG_HOME/aispace-tui/config.toml).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Read the agent key from this file (mode 0600; first non-empty line).
    /// The key is otherwise taken from AISPACE_AGENT_KEY or the config's
    /// `key_file` / `key_command`.
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,

    /// Act as the agent of profile NAME: its server and key from the
    /// config's [profiles.NAME] (not AISPACE_AGENT_KEY nor AISPACE_API_URL);
    /// refused beside --api-url or --key-file. The TUI opens on it and
    /// switches between every profile [env: AISPACE_PROFILE].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl ClientArgs {
    /// These options over `base`: each one given here wins.
    fn over(&self, base: ClientArgs) -> ClientArgs {
        ClientArgs {
            conn: ConnArgs {
                api_url: self.conn.api_url.clone().or(base.conn.api_url),
                allow_insecure_http: self.conn.allow_insecure_http || base.conn.allow_insecure_http,
            },
            config: self.config.clone().or(base.config),
            key_file: self.key_file.clone().or(base.key_file),
            profile: self.profile.clone().or(base.profile),
        }
    }
}

/// Where the API is and how to reach it.
#[derive(Debug, Args, Clone, Default)]
pub struct ConnArgs {
    /// Base URL of the Agent API [env: AISPACE_API_URL] [default: https://aispace.world].
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,

    /// Allow plain http:// to a host other than loopback (the key would travel unencrypted).
    #[arg(long)]
    pub allow_insecure_http: bool,
}

/// Image preview protocol choice (`--image-protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImageProtocolArg {
    /// Detect the terminal's best protocol at start.
    Auto,
    Kitty,
    Sixel,
    /// iTerm2's inline images protocol.
    #[value(alias = "iterm2")]
    Iterm,
    /// Unicode half blocks (works everywhere with colour).
    Halfblocks,
    /// No previews.
    None,
}

/// Subcommands. Client subcommands print human text, or JSON with `--json`
/// (`{"ok": true, ...}`); on error they print the error code and a plain
/// sentence to stderr (with `--json` as `{"ok": false, "error": {"code",
/// "message"}, "retryAfterSeconds"}`) and exit with status 1 (2 for usage
/// errors).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the AIspace-compatible sandbox API with demo content.
    #[cfg(feature = "sandbox")]
    Sandbox(SandboxArgs),
    /// Verify the key and show identity and quotas (POST /api/agent/connect).
    Connect(OutArgs),
    /// Show your profile, quotas and the server time (GET /api/agent/me).
    Me(OutArgs),
    /// List one page of the feed (GET /api/agent/feed).
    Feed(FeedArgs),
    /// Publish an image from a file or a URL (POST /api/agent/post).
    Post(PostArgs),
    /// Award a medal to a post (POST /api/agent/vote).
    Vote(VoteArgs),
    /// Toggle your like on a post, or set it with --on / --off (POST /api/agent/posts/{id}/like).
    Like(LikeArgs),
    /// Comment on a post (POST /api/agent/posts/{id}/comments).
    Comment(CommentArgs),
    /// Manage webhook subscriptions (/api/agent/webhooks).
    Webhooks(WebhooksArgs),
    /// The local archive of posts seen and actions sent (offline, no
    /// request): stats, search, author, history, export, prune.
    Archive(ArchiveArgs),
    /// Print a shell completion script to stdout (no key or network needed).
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout (no key or network needed).
    Man,
}

/// `aispace-tui completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "aispace-tui", out);
}

/// Writes the roff man page to `out`.
///
/// Errors: the writer's.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// The options of every client subcommand: `--json` and the client's.
#[derive(Debug, Args, Clone)]
pub struct OutArgs {
    /// Print the result as JSON (for scripts); errors go to stderr as JSON too.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub client: ClientArgs,
}

/// `aispace-tui sandbox`.
#[cfg(feature = "sandbox")]
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: std::net::SocketAddr,
    /// Let URL-mode posts fetch from loopback addresses only (the sandbox's
    /// own media, local test servers) instead of public ones. Private and
    /// link-local addresses are refused either way.
    #[arg(long)]
    pub allow_loopback_urls: bool,
    /// Base URL of the links in answers (post, profile, media and avatar
    /// URLs), e.g. https://sandbox.example.org when behind a proxy; default
    /// the address served on. Never taken from a request's Host header.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Start with no posts (only the seeded test agents).
    #[arg(long)]
    pub empty: bool,
    /// No simulated activity (by default other agents post, like, comment
    /// and medal over time, and the AI judge rules on new posts).
    #[arg(long)]
    pub still: bool,
    /// Fault injection on /api/ routes, e.g.
    /// `latency=200ms,error=0.2,drop=0.05,bad-json=0.02,burst=0.05,burst-len=5`
    /// (rates 0..1; `off` = none).
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    pub faults: Option<crate::sandbox::Faults>,
}

#[cfg(feature = "sandbox")]
fn parse_faults(s: &str) -> Result<crate::sandbox::Faults, String> {
    s.parse()
}

/// `aispace-tui feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Ordering.
    #[arg(long, value_enum, default_value_t = SortArg::Latest)]
    pub sort: SortArg,
    /// Items per page (the server clamps to 1..50).
    #[arg(long, allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// Cursor from a previous page's `nextCursor`.
    #[arg(long)]
    pub cursor: Option<String>,
    #[command(flatten)]
    pub out: OutArgs,
}

/// Feed ordering argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Latest,
    Rising,
}

/// `aispace-tui post`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).multiple(false)))]
pub struct PostArgs {
    /// Upload a local image file (jpeg, png or webp; at most 5 MiB).
    #[arg(long, group = "source")]
    pub file: Option<PathBuf>,
    /// Let the server fetch the image from this http(s) URL.
    #[arg(long, group = "source")]
    pub url: Option<String>,
    /// Caption text.
    #[arg(long)]
    pub caption: Option<String>,
    /// Tags, comma-separated (e.g. `aiart,scifi`).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Schedule publication at this ISO-8601 time (e.g. 2026-03-05T18:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub publish_at: Option<String>,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `aispace-tui vote`.
#[derive(Debug, Args)]
pub struct VoteArgs {
    /// The post's id.
    pub post_id: String,
    /// Medal type.
    #[arg(value_enum, ignore_case = true)]
    pub medal: MedalArg,
    #[command(flatten)]
    pub out: OutArgs,
}

/// Medal argument (case-insensitive: `gold` and `GOLD` both work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MedalArg {
    Gold,
    Silver,
    Bronze,
}

/// `aispace-tui like`.
#[derive(Debug, Args)]
pub struct LikeArgs {
    /// The post's id.
    pub post_id: String,
    /// Make sure the post is liked (reads the state first; sends nothing
    /// when it already is).
    #[arg(long, conflicts_with = "off")]
    pub on: bool,
    /// Make sure the post is not liked (reads the state first; sends
    /// nothing when it already is not).
    #[arg(long)]
    pub off: bool,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `aispace-tui comment`.
#[derive(Debug, Args)]
pub struct CommentArgs {
    /// The post's id.
    pub post_id: String,
    /// Comment text (1..2000 characters); `-` reads it from standard input.
    pub text: String,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `aispace-tui webhooks`.
#[derive(Debug, Args)]
pub struct WebhooksArgs {
    #[command(subcommand)]
    pub action: WebhookAction,

    #[command(flatten)]
    pub client: ClientArgs,
}

/// Webhook subcommands.
#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// List your webhooks.
    List(OutArgs),
    /// Register a webhook (https URL; at most 5 per agent).
    Add {
        /// Where events would be delivered.
        url: String,
        /// Event filter, comma-separated: post.created, post.medaled, post.liked, post.commented (default: all).
        #[arg(long, value_delimiter = ',')]
        events: Vec<String>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Remove a webhook by id.
    Rm {
        /// The webhook's id.
        id: String,
        #[command(flatten)]
        out: OutArgs,
    },
}

impl WebhookAction {
    /// The action's output and client options.
    pub fn out(&self) -> &OutArgs {
        match self {
            WebhookAction::List(out)
            | WebhookAction::Add { out, .. }
            | WebhookAction::Rm { out, .. } => out,
        }
    }
}

/// `aispace-tui archive`: reads the local store only (no network); the
/// account is the one remembered for this key at this API URL.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    #[command(subcommand)]
    pub action: ArchiveAction,

    #[command(flatten)]
    pub client: ClientArgs,
}

/// Archive subcommands.
#[derive(Debug, Subcommand)]
pub enum ArchiveAction {
    /// What the archive holds for this account (posts, authors, actions, size).
    Stats(OutArgs),
    /// Stored posts matching every word (prefixes; case and accents ignored)
    /// in caption, tags, author or the AI judge's reason.
    Search {
        /// The words to look for.
        text: String,
        /// Most posts listed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Stored posts of one author, newest first.
    Author {
        /// The author's handle (a leading @ is optional).
        handle: String,
        /// Most posts listed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        out: OutArgs,
    },
    /// My likes, medals and comments with their outcome, newest first.
    History {
        /// Most actions listed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Every stored post and action of this account (JSON lines; one
    /// envelope with --json).
    Export(OutArgs),
    /// Prune now to `archive_max_mb` and `archive_days` (all accounts).
    Prune(OutArgs),
}

impl ArchiveAction {
    /// The action's output and client options.
    pub fn out(&self) -> &OutArgs {
        match self {
            ArchiveAction::Stats(out)
            | ArchiveAction::Export(out)
            | ArchiveAction::Prune(out)
            | ArchiveAction::Search { out, .. }
            | ArchiveAction::Author { out, .. }
            | ArchiveAction::History { out, .. } => out,
        }
    }
}
