use super::*;
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;

fn write_config(dir: &Path, content: &str, mode: u32) -> PathBuf {
    let path = dir.join("config.toml");
    std::fs::write(&path, content).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

fn load(o: &Layer, env: &[(&str, &str)], default: Option<PathBuf>) -> Result<Config, ConfigError> {
    Config::load_with(o, env_of(env), default)
}

#[test]
fn defaults_when_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = load(&Layer::default(), &[], Some(dir.path().join("absent.toml"))).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.api_url, "https://aispace.world");
    assert_eq!(c.refresh_secs, 20);
    assert_eq!(c.image_protocol, ImageProtocol::Auto);
    assert!(c.previews);
    assert_eq!(c.image_cache_mb, 32);
    assert_eq!(c.feed_cap, 2000);
    assert!(!c.readonly);
    assert_eq!((c.connect_timeout_secs, c.request_timeout_secs), (5, 20));
    assert!(c.file.is_none());
}

#[test]
fn file_values_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        r#"
api_url = "http://127.0.0.1:8787/"
key_command = "pass show aispace"
key_file = "/tmp/k"
refresh_secs = 30
image_protocol = "Kitty"
previews = false
image_cache_mb = 0
feed_cap = 500
readonly = true
connect_timeout_secs = 2
request_timeout_secs = 60
[keys]
like = "l"
quit = ["q", "ctrl-c"]
"#,
        0o600,
    );
    let c = load(&Layer::default(), &[], Some(path.clone())).unwrap();
    assert_eq!(c.api_url, "http://127.0.0.1:8787");
    assert_eq!(c.key_command.as_deref(), Some("pass show aispace"));
    assert_eq!(c.key_file, Some(PathBuf::from("/tmp/k")));
    assert_eq!(c.refresh_secs, 30);
    assert_eq!(c.image_protocol, ImageProtocol::Kitty);
    assert!(!c.previews);
    assert_eq!(c.image_cache_mb, 0);
    assert_eq!(c.feed_cap, 500);
    assert!(c.readonly);
    assert_eq!((c.connect_timeout_secs, c.request_timeout_secs), (2, 60));
    assert_eq!(c.keys["like"], ["l"]);
    assert_eq!(c.keys["quit"], ["q", "ctrl-c"]);
    assert_eq!(c.file, Some(path));
}

#[test]
fn env_beats_file_and_flags_beat_env() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "refresh_secs = 30\nreadonly = true\nfeed_cap = 100\n",
        0o600,
    );
    let env = [
        ("AISPACE_REFRESH_SECS", "40"),
        ("AISPACE_READONLY", "no"),
        ("AISPACE_API_URL", "https://env.example"),
    ];
    let c = load(&Layer::default(), &env, Some(path.clone())).unwrap();
    assert_eq!((c.refresh_secs, c.readonly, c.feed_cap), (40, false, 100));
    assert_eq!(c.api_url, "https://env.example");
    let flags = Layer {
        refresh_secs: Some(50),
        api_url: Some("https://flag.example".into()),
        ..Layer::default()
    };
    let c = load(&flags, &env, Some(path)).unwrap();
    assert_eq!((c.refresh_secs, c.readonly), (50, false));
    assert_eq!(c.api_url, "https://flag.example");
}

#[test]
fn empty_env_var_counts_as_unset() {
    let c = load(&Layer::default(), &[("AISPACE_REFRESH_SECS", "")], None).unwrap();
    assert_eq!(c.refresh_secs, 20);
}

#[test]
fn config_path_override_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let o = Layer {
        config_path: Some(dir.path().join("nope.toml")),
        ..Layer::default()
    };
    let err = load(&o, &[], None).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }), "{err}");
    assert!(err.to_string().contains("nope.toml"), "{err}");
    let err = load(
        &Layer::default(),
        &[("AISPACE_CONFIG", "/nonexistent/x.toml")],
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/x.toml"), "{err}");
}

#[test]
fn config_path_override_replaces_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "feed_cap = 60\n", 0o600);
    let o = Layer {
        config_path: Some(path),
        ..Layer::default()
    };
    let c = load(&o, &[], Some(dir.path().join("other.toml"))).unwrap();
    assert_eq!(c.feed_cap, 60);
}

#[test]
fn unknown_key_is_named_with_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "refresh_secs = 30\ncolour = \"red\"\n", 0o600);
    let err = load(&Layer::default(), &[], Some(path.clone())).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("colour"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    match err {
        ConfigError::Parse { line, column, .. } => assert_eq!((line, column), (2, 1)),
        other => panic!("expected Parse, got {other}"),
    }
}

#[test]
fn bad_toml_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "previews = true\nfeed_cap = = 3\n", 0o600);
    let err = load(&Layer::default(), &[], Some(path)).unwrap_err();
    match &err {
        ConfigError::Parse { line, .. } => assert_eq!(*line, 2, "{err}"),
        other => panic!("expected Parse, got {other}"),
    }
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn wrong_type_is_a_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "refresh_secs = \"soon\"\n", 0o600);
    let err = load(&Layer::default(), &[], Some(path)).unwrap_err();
    assert!(matches!(err, ConfigError::Parse { line: 1, .. }), "{err}");
}

#[test]
fn file_readable_by_others_is_refused_with_fix() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o644, 0o640, 0o604, 0o620] {
        let path = write_config(dir.path(), "readonly = true\n", mode);
        let err = load(&Layer::default(), &[], Some(path.clone())).unwrap_err();
        assert!(matches!(err, ConfigError::Permissions { .. }), "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("chmod 600 {}", shown_path(&path))),
            "{msg}"
        );
    }
}

#[test]
fn out_of_range_values_name_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "refresh_secs = 1\n", 0o600);
    let err = load(&Layer::default(), &[], Some(path)).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("key `refresh_secs`") && msg.contains("5 to 86400"),
        "{msg}"
    );

    let err = load(&Layer::default(), &[("AISPACE_FEED_CAP", "lots")], None).unwrap_err();
    assert!(err.to_string().contains("AISPACE_FEED_CAP"), "{err}");

    let err = load(&Layer::default(), &[("AISPACE_PREVIEWS", "maybe")], None).unwrap_err();
    assert!(err.to_string().contains("AISPACE_PREVIEWS"), "{err}");

    let flags = Layer {
        request_timeout_secs: Some(0),
        ..Layer::default()
    };
    let err = load(&flags, &[], None).unwrap_err();
    assert!(
        err.to_string().contains("flag --request-timeout-secs"),
        "{err}"
    );

    let flags = Layer {
        image_protocol: Some("ascii-art".into()),
        ..Layer::default()
    };
    let err = load(&flags, &[], None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("--image-protocol") && msg.contains("halfblocks"),
        "{msg}"
    );
}

#[test]
fn bad_urls_are_refused() {
    for bad in [
        "aispace.world",
        "ftp://aispace.world",
        "https://user:pw@aispace.world",
        "https://aispace.world/?x=1",
        "",
    ] {
        let flags = Layer {
            api_url: Some(bad.into()),
            ..Layer::default()
        };
        let err = load(&flags, &[], None).unwrap_err();
        assert!(err.to_string().contains("--api-url"), "{bad}: {err}");
    }
}

#[test]
fn shown_path_quotes_for_the_shell() {
    assert_eq!(
        shown_path(Path::new("/home/a/config.toml")),
        "/home/a/config.toml"
    );
    assert_eq!(shown_path(Path::new("/home/a b/c")), "'/home/a b/c'");
    assert_eq!(shown_path(Path::new("/x/it's")), "'/x/it'\\''s'");
    assert_eq!(shown_path(Path::new("/x/\u{1b}[2J")), "'/x/\u{241b}[2J'");
}

#[test]
fn default_paths_end_with_app_name() {
    if let Some(p) = default_config_path() {
        assert!(p.ends_with("aispace-tui/config.toml"), "{}", p.display());
    }
    if let Some(p) = state_dir() {
        assert!(p.ends_with("aispace-tui"), "{}", p.display());
    }
}

#[test]
fn key_file_tilde_is_the_home_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "key_file = \"~/.config/agent.key\"\n", 0o600);
    let c = load(&Layer::default(), &[], Some(path)).unwrap();
    let home = directories::BaseDirs::new()
        .unwrap()
        .home_dir()
        .to_path_buf();
    assert_eq!(c.key_file, Some(home.join(".config/agent.key")));
    // A flag given as --key-file=~/x (no shell expansion) too; other paths unchanged.
    let o = Layer {
        key_file: Some(PathBuf::from("~/x")),
        ..Layer::default()
    };
    assert_eq!(load(&o, &[], None).unwrap().key_file, Some(home.join("x")));
    assert_eq!(expand_home(Path::new("/a/~/b")), PathBuf::from("/a/~/b"));
    assert_eq!(expand_home(Path::new("~user/b")), PathBuf::from("~user/b"));
}

#[test]
fn image_protocol_none_and_both_iterm_names_work_in_the_file_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "image_protocol = \"none\"\n", 0o600);
    let c = load(&Layer::default(), &[], Some(path)).unwrap();
    assert!(!c.previews);
    let c = load(
        &Layer::default(),
        &[("AISPACE_IMAGE_PROTOCOL", "NONE")],
        None,
    )
    .unwrap();
    assert!(!c.previews);
    for name in ["iterm", "iterm2", "iTerm2"] {
        let c = load(&Layer::default(), &[("AISPACE_IMAGE_PROTOCOL", name)], None).unwrap();
        assert_eq!(c.image_protocol, ImageProtocol::Iterm2, "{name}");
    }
}

#[test]
fn key_command_timeout_is_configurable_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Config::default().key_command_timeout_secs, 10);
    let path = write_config(dir.path(), "key_command_timeout_secs = 60\n", 0o600);
    let c = load(&Layer::default(), &[], Some(path)).unwrap();
    assert_eq!(c.key_command_timeout_secs, 60);
    let e = load(
        &Layer::default(),
        &[("AISPACE_KEY_COMMAND_TIMEOUT_SECS", "0")],
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
}

#[test]
fn one_layer_type_the_file_and_the_environment_fill_alike() {
    // Every setting of the file but `[keys]` can come from the environment,
    // into the same layer type, with the same value format.
    let dir = tempfile::tempdir().unwrap();
    let file = "api_url = \"https://file.example\"\nkey_command = \"echo k\"\n\
                key_file = \"/k\"\nkey_command_timeout_secs = 3\nrefresh_secs = 30\nimage_protocol = \"sixel\"\n\
                previews = false\nimage_cache_mb = 8\nfeed_cap = 100\nreadonly = true\n\
                connect_timeout_secs = 7\nrequest_timeout_secs = 9\n";
    let path = write_config(dir.path(), file, 0o600);
    let from_file: Layer = toml::from_str(file).unwrap();
    let env = [
        ("AISPACE_API_URL", "https://file.example"),
        ("AISPACE_KEY_COMMAND", "echo k"),
        ("AISPACE_KEY_FILE", "/k"),
        ("AISPACE_KEY_COMMAND_TIMEOUT_SECS", "3"),
        ("AISPACE_REFRESH_SECS", "30"),
        ("AISPACE_IMAGE_PROTOCOL", "sixel"),
        ("AISPACE_PREVIEWS", "off"),
        ("AISPACE_IMAGE_CACHE_MB", "8"),
        ("AISPACE_FEED_CAP", "100"),
        ("AISPACE_READONLY", "yes"),
        ("AISPACE_CONNECT_TIMEOUT_SECS", "7"),
        ("AISPACE_REQUEST_TIMEOUT_SECS", "9"),
    ];
    let from_env = Layer::from_env(&env_of(&env)).unwrap();
    assert_eq!(from_env, from_file);
    let by_file = load(&Layer::default(), &[], Some(path)).unwrap();
    let by_env = load(&Layer::default(), &env, None).unwrap();
    assert_eq!(
        Config {
            file: None,
            ..by_file
        },
        by_env
    );
    assert_ne!(by_env, Config::default());
}

#[test]
fn archive_settings_come_from_file_and_environment_in_range() {
    let dir = tempfile::tempdir().unwrap();
    let c = load(&Layer::default(), &[], Some(dir.path().join("absent.toml"))).unwrap();
    assert_eq!(
        (c.archive, c.archive_max_mb, c.archive_days),
        (true, 200, 90)
    );
    let path = write_config(
        dir.path(),
        "archive = false\narchive_max_mb = 50\narchive_days = 7\n",
        0o600,
    );
    let c = load(&Layer::default(), &[], Some(path.clone())).unwrap();
    assert_eq!(
        (c.archive, c.archive_max_mb, c.archive_days),
        (false, 50, 7)
    );
    let c = load(
        &Layer::default(),
        &[("AISPACE_ARCHIVE", "on"), ("AISPACE_ARCHIVE_DAYS", "30")],
        Some(path),
    )
    .unwrap();
    assert_eq!(
        (c.archive, c.archive_max_mb, c.archive_days),
        (true, 50, 30)
    );
    let e = load(
        &Layer::default(),
        &[("AISPACE_ARCHIVE_MAX_MB", "0")],
        Some(dir.path().join("absent.toml")),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("AISPACE_ARCHIVE_MAX_MB") && e.contains("out of range"),
        "{e}"
    );
}

/// Tryout 11 P9: every accepted name is listed, `none` and `iterm` too.
#[test]
fn a_bad_image_protocol_lists_every_accepted_name() {
    let err = "bogus".parse::<ImageProtocol>().unwrap_err();
    for name in [
        "auto",
        "kitty",
        "sixel",
        "iterm2",
        "iterm",
        "halfblocks",
        "none",
    ] {
        assert!(
            err.contains(&format!("{name},"))
                || err.contains(&format!("`{name}`"))
                || err.contains(&format!("{name};")),
            "{name}: {err}"
        );
    }
}

const TWO_PROFILES: &str = r#"
api_url = "http://127.0.0.1:9000"
key_file = "/tmp/top.key"

[profiles.artist]
api_url = "http://127.0.0.1:8001/"
key_file = "/tmp/artist.key"
colour = "Light Magenta"

[profiles.moderator]
key_command = "pass show mod"
"#;

#[test]
fn profiles_are_read_and_a_chosen_one_replaces_server_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), TWO_PROFILES, 0o600);
    let c = load(&Layer::default(), &[], Some(path.clone())).unwrap();
    assert_eq!(c.profile, None);
    assert_eq!(c.profile_names(), "artist, moderator");
    assert_eq!(c.profiles["artist"].colour.as_deref(), Some("lightmagenta"));
    assert_eq!(c.profile_colour("artist"), "lightmagenta");
    assert_eq!(c.profile_colour("moderator"), DEFAULT_COLOURS[1]);
    assert_eq!(c.chosen().unwrap(), c, "no profile: the top-level settings");

    let flags = Layer {
        profile: Some("artist".into()),
        ..Layer::default()
    };
    let base = load(
        &flags,
        &[("AISPACE_API_URL", "http://127.0.0.1:7777")],
        Some(path.clone()),
    )
    .unwrap();
    let a = base.chosen().unwrap();
    assert_eq!(a.profile.as_deref(), Some("artist"));
    assert_eq!(
        a.api_url, "http://127.0.0.1:8001",
        "the profile's server, not the environment's"
    );
    assert_eq!(a.key_file, Some(PathBuf::from("/tmp/artist.key")));
    assert_eq!(
        a.key_command, None,
        "the top-level key source is not the profile's"
    );

    let m = load(
        &Layer::default(),
        &[("AISPACE_PROFILE", "moderator")],
        Some(path),
    )
    .unwrap()
    .chosen()
    .unwrap();
    assert_eq!(m.api_url, DEFAULT_API_URL, "no api_url: the default server");
    assert_eq!(m.key_command.as_deref(), Some("pass show mod"));
    assert_eq!(
        m.key_file, None,
        "the top-level key_file is not the profile's"
    );
}

#[test]
fn an_unknown_profile_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), TWO_PROFILES, 0o600);
    let flags = Layer {
        profile: Some("artsit".into()),
        ..Layer::default()
    };
    let e = load(&flags, &[], Some(path.clone()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown profile `artsit`"), "{e}");
    assert!(e.contains("artist, moderator"), "{e}");

    let e = load(
        &Layer::default(),
        &[("AISPACE_PROFILE", "nobody")],
        Some(path),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown profile `nobody`"), "{e}");

    let none = write_config(dir.path(), "refresh_secs = 30\n", 0o600);
    let e = load(&flags, &[], Some(none)).unwrap_err().to_string();
    assert!(e.contains("defines no profiles"), "{e}");
    assert!(e.contains("[profiles.artsit]"), "{e}");
}

#[test]
fn a_key_written_in_the_file_is_refused_in_a_profile_and_at_the_top() {
    let dir = tempfile::tempdir().unwrap();
    for (content, key) in [
        (
            "[profiles.a]\nkey_file = \"/k\"\nkey = \"ak_x.secret\"\n",
            "profiles.a.key",
        ),
        (
            "[profiles.a]\nagent_key = \"ak_x.secret\"\n",
            "profiles.a.key",
        ),
        ("api_key = \"ak_x.secret\"\n", "key"),
    ] {
        let path = write_config(dir.path(), content, 0o600);
        let e = load(&Layer::default(), &[], Some(path))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("key `{key}`")), "{e}");
        assert!(e.contains("must not be written in the config file"), "{e}");
        assert!(e.contains("key_file"), "{e}");
        assert!(!e.contains("secret\""), "the key is never repeated: {e}");
    }
}

#[test]
fn a_profile_needs_exactly_one_key_source_a_good_name_url_and_colour() {
    let dir = tempfile::tempdir().unwrap();
    for (content, wanted) in [
        (
            "[profiles.a]\napi_url = \"http://127.0.0.1:1\"\n",
            "no key source",
        ),
        (
            "[profiles.a]\nkey_file = \"/k\"\nkey_command = \"echo\"\n",
            "not both",
        ),
        (
            "[profiles.a]\nkey_command = \"  \"\n",
            "the command is empty",
        ),
        (
            "[profiles.\"a b\"]\nkey_file = \"/k\"\n",
            "a profile name is 1 to 32",
        ),
        (
            "[profiles.a]\nkey_file = \"/k\"\napi_url = \"ftp://x\"\n",
            "profiles.a.api_url",
        ),
        (
            "[profiles.a]\nkey_file = \"/k\"\ncolour = \"mauve\"\n",
            "not a colour",
        ),
        (
            "[profiles.a]\nkey_file = \"/k\"\nrefresh_secs = 5\n",
            "unknown field `refresh_secs`",
        ),
    ] {
        let path = write_config(dir.path(), content, 0o600);
        let e = load(&Layer::default(), &[], Some(path))
            .unwrap_err()
            .to_string();
        assert!(e.contains(wanted), "{content}: {e}");
    }
    let path = write_config(
        dir.path(),
        "[profiles.a]\nkey_file = \"/k\"\ncolor = \"#A0B1C2\"\n",
        0o600,
    );
    let c = load(&Layer::default(), &[], Some(path)).unwrap();
    assert_eq!(c.profiles["a"].colour.as_deref(), Some("#a0b1c2"));
}

#[test]
fn api_url_or_key_file_flags_beside_a_profile_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), TWO_PROFILES, 0o600);
    for (flags, flag) in [
        (
            Layer {
                profile: Some("artist".into()),
                api_url: Some("http://127.0.0.1:1".into()),
                ..Layer::default()
            },
            "--api-url",
        ),
        (
            Layer {
                key_file: Some("/k".into()),
                ..Layer::default()
            },
            "--key-file",
        ),
    ] {
        let env: &[(&str, &str)] = &[("AISPACE_PROFILE", "artist")];
        let e = load(&flags, env, Some(path.clone()))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("flag {flag}")), "{e}");
        assert!(e.contains("cannot be used with profile `artist`"), "{e}");
    }
}

#[test]
fn mouse_is_off_by_default_and_on_from_the_file_the_environment_or_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let absent = Some(dir.path().join("absent.toml"));
    assert!(!load(&Layer::default(), &[], absent.clone()).unwrap().mouse);
    let path = write_config(dir.path(), "mouse = true\n", 0o600);
    assert!(
        load(&Layer::default(), &[], Some(path.clone()))
            .unwrap()
            .mouse
    );
    // The environment wins over the file, the flag over the environment.
    let off = [("AISPACE_MOUSE", "off")];
    assert!(!load(&Layer::default(), &off, Some(path)).unwrap().mouse);
    let on = [("AISPACE_MOUSE", "yes")];
    assert!(load(&Layer::default(), &on, absent.clone()).unwrap().mouse);
    let flag = Layer {
        mouse: Some(true),
        ..Layer::default()
    };
    assert!(load(&flag, &off, absent.clone()).unwrap().mouse);
    let bad = [("AISPACE_MOUSE", "sometimes")];
    let e = load(&Layer::default(), &bad, absent)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("AISPACE_MOUSE") && e.contains("not a boolean"),
        "{e}"
    );
}
