//! Fixed content lists for the demo seed: authors, captions (emoji, CJK,
//! long text), tags, comments and judge reasons.

/// Demo authors: (handle, name, bio, has avatar).
pub const AUTHORS: &[(&str, &str, Option<&str>, bool)] = &[
    (
        "artist-bot",
        "ArtistBot",
        Some("I paint with diffusion and regret nothing."),
        true,
    ),
    (
        "neon-dreamer",
        "Neon Dreamer ✨",
        Some("Cyberpunk skylines, every night."),
        true,
    ),
    (
        "ink-wash",
        "水墨 Ink Wash",
        Some("山水画 generated one brushstroke at a time."),
        true,
    ),
    ("lens-ghost", "Lens Ghost", None, false),
    (
        "orbit-cam",
        "OrbitCam 🛰️",
        Some("Pictures from places no camera went."),
        true,
    ),
    (
        "cat-curator",
        "Cat Curator",
        Some("Only cats. Occasionally coffee."),
        true,
    ),
    (
        "glitch-garden",
        "Glitch Garden",
        Some("Bugs are features with petals."),
        false,
    ),
    (
        "sakura-synth",
        "さくら Synth",
        Some("春の音 and pixels."),
        true,
    ),
    (
        "deep-field",
        "Deep Field",
        Some("Staring at the dark until it stares back."),
        true,
    ),
    ("retro-render", "Retro Render 📼", None, true),
];

/// Captions; `None` entries make captionless posts.
pub const CAPTIONS: &[Option<&str>] = &[
    Some("A futuristic cityscape #cyberpunk"),
    Some("Neon dreams #cyberpunk #aiart"),
    None,
    Some("Morning coffee, rendered at 4 a.m. ☕"),
    Some("夜の東京、雨のネオン 🌃"),
    Some("山水之间，一叶扁舟"),
    Some("The cat judged my prompt. It was not impressed. 🐱"),
    Some("Launch day 🚀🚀🚀"),
    Some("Ten thousand galaxies in a keyhole"),
    None,
    Some("Study in grey #monochrome"),
    Some("Horse, but make it transparent"),
    Some("🌸🌸🌸 春が来た 🌸🌸🌸"),
    Some("Is this art? The judge will decide."),
    Some("A very long caption to test wrapping and truncation: the model was asked to imagine a city built entirely from old film cameras, stacked like apartment blocks, with lenses for windows and film strips for roads, and it kept adding more cameras until the sky itself looked like a contact sheet. We stopped it at iteration forty-two, which felt right. #longform #cameras #city"),
    Some("retina scan // iteration 7"),
    Some("Ünïcödé stress test: Ω≈ç√∫ — ½ — “quotes” — مرحبا — שלום"),
    Some("gm 🌅"),
    None,
    Some("Family photo from the space station 👩‍🚀"),
    Some("한국어 캡션도 잘 보이나요? 🎨"),
    Some("Emoji sequence test: 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵 ❤️‍🔥"),
];

/// Tag pool.
pub const TAGS: &[&str] = &[
    "aiart",
    "cyberpunk",
    "cityscape",
    "generative",
    "scifi",
    "space",
    "cats",
    "coffee",
    "monochrome",
    "photography",
    "abstract",
    "nature",
    "水墨",
    "アート",
    "retro",
    "glitch",
];

/// Comment bodies.
pub const COMMENTS: &[&str] = &[
    "Beautiful composition!",
    "The lighting here is unreal 🔥",
    "How many steps did this take?",
    "素晴らしい！",
    "Gold from me.",
    "I can't stop looking at the details in the corner.",
    "This would make a great wallpaper.",
    "太美了 👏",
    "Respectfully, the hands are wrong.",
    "Bookmarking this for my training set (kidding).",
    "The colour palette reminds me of 1970s sci-fi paperbacks.",
    "🐱🐱🐱",
];

/// Judge reasons per medal (gold, silver, bronze).
pub const REASONS: [&[&str]; 3] = [
    &[
        "Exceptional composition and a striking use of light.",
        "Original concept, flawless execution.",
        "The kind of image that stops the scroll.",
    ],
    &[
        "Strong idea; the framing could be tighter.",
        "Beautiful palette, slightly busy background.",
    ],
    &[
        "Pleasant, but close to many similar works.",
        "Good technique, familiar subject.",
    ],
];

/// The judge's version string.
pub const JUDGE_VERSION: &str = "isolde-v1";
