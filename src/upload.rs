//! The composer's file work, done by the effects runner (blocking tasks),
//! never by the app: `~` expansion, Tab completion of paths, the check of
//! an image file before upload with the server's rules (magic bytes
//! jpeg/png/webp, at most 5 MiB: `api::limits`), and the re-encoding of a
//! too-large picture as JPEG.

use crate::api::limits::{image_format, MAX_IMAGE_BYTES};
use crate::app::{ImageProblem, PickedImage};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest file read for re-encoding, in bytes.
pub const MAX_REENCODE_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// JPEG qualities tried, best first, when re-encoding.
const JPEG_QUALITIES: [u8; 4] = [90, 80, 70, 60];

/// `typed` with a leading `~` (alone or before `/`) replaced by `home`.
pub fn expand_tilde(typed: &str, home: Option<&Path>) -> PathBuf {
    match (typed.strip_prefix('~'), home) {
        (Some(rest), Some(h)) if rest.is_empty() || rest.starts_with('/') => {
            h.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(typed),
    }
}

/// The user's home directory (`$HOME`).
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// Completes the last component of `typed` (a path, `~` allowed) from the
/// directory's entries: the longest common extension of the names that
/// start with it (a directory gets a `/` when it is the only one), and
/// every matching name when there are several (sorted, at most 50).
/// Hidden entries only when the typed part starts with a dot.
pub fn complete(typed: &str, home: Option<&Path>) -> (String, Vec<String>) {
    let (dir_typed, part) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_typed.is_empty() {
        PathBuf::from(".")
    } else {
        expand_tilde(dir_typed, home)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (typed.to_string(), Vec::new());
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_dir = e.path().is_dir();
            (name.starts_with(part) && (part.starts_with('.') || !name.starts_with('.')))
                .then_some((name, is_dir))
        })
        .collect();
    names.sort();
    names.truncate(50);
    match names.as_slice() {
        [] => (typed.to_string(), Vec::new()),
        [(name, is_dir)] => {
            let slash = if *is_dir { "/" } else { "" };
            (format!("{dir_typed}{name}{slash}"), Vec::new())
        }
        many => {
            let first = &many[0].0;
            let common = many.iter().skip(1).fold(first.len(), |n, (name, _)| {
                first
                    .char_indices()
                    .zip(name.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8())
                    .min(n)
            });
            let shown = many
                .iter()
                .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                .collect();
            (format!("{dir_typed}{}", &first[..common]), shown)
        }
    }
}

/// A refusal of the file `typed`.
fn problem(typed: &str, text: String, too_large: bool) -> ImageProblem {
    ImageProblem {
        typed: typed.to_string(),
        text,
        too_large,
    }
}

/// Reads and checks the image file `typed` as the server would: a
/// regular file, at most [`MAX_IMAGE_BYTES`], JPEG, PNG or WebP by its
/// magic bytes. Each refusal says what to do; a picture over the size
/// limit is marked `too_large` (re-encoding is offered).
pub fn check_file(typed: &str, home: Option<&Path>) -> Result<PickedImage, ImageProblem> {
    let path = expand_tilde(typed, home);
    let shown = crate::text::clean_line(&path.display().to_string());
    let meta = std::fs::metadata(&path).map_err(|e| {
        problem(
            typed,
            format!("Cannot read {shown} ({e}): check the path (Tab completes it)."),
            false,
        )
    })?;
    if !meta.is_file() {
        return Err(problem(
            typed,
            format!("{shown} is not a file: pick an image file (Tab completes the path)."),
            false,
        ));
    }
    let read_err = |e: std::io::Error| problem(typed, format!("Cannot read {shown} ({e})."), false);
    let mut head = Vec::new();
    std::fs::File::open(&path)
        .map_err(read_err)?
        .take(16)
        .read_to_end(&mut head)
        .map_err(read_err)?;
    let Some(format) = image_format(&head) else {
        return Err(problem(
            typed,
            format!("{shown} is not a JPEG, PNG or WebP image (by its first bytes): AIspace accepts only these; convert it first."),
            false,
        ));
    };
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(problem(
            typed,
            format!(
                "{shown} is {}; AIspace accepts at most 5 MiB. Press Ctrl-R to re-encode it as JPEG, or pick a smaller file.",
                crate::app::size_label(meta.len())
            ),
            true,
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(&path)
        .map_err(read_err)?
        .take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES || image_format(&bytes) != Some(format) {
        return Err(problem(
            typed,
            format!("{shown} changed while it was read; try again."),
            false,
        ));
    }
    Ok(PickedImage {
        typed: typed.to_string(),
        path: path.display().to_string(),
        name: file_name(&path),
        bytes: Arc::new(bytes),
        format,
        reencoded_from: None,
    })
}

/// The file name sent with an upload.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".to_string())
}

/// Decodes the picture `typed` and encodes it as JPEG, lowering the
/// quality (then halving the size) until it is at most [`MAX_IMAGE_BYTES`].
pub fn reencode_jpeg(typed: &str, home: Option<&Path>) -> Result<PickedImage, ImageProblem> {
    let path = expand_tilde(typed, home);
    let shown = crate::text::clean_line(&path.display().to_string());
    let fail = |why: String| problem(typed, format!("Cannot re-encode {shown}: {why}."), false);
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_REENCODE_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_REENCODE_INPUT_BYTES {
        return Err(fail(format!(
            "over {} MiB",
            MAX_REENCODE_INPUT_BYTES / 1024 / 1024
        )));
    }
    let original = bytes.len() as u64;
    let mut img = crate::preview::decode(&bytes)
        .map_err(|e| fail(e.reason()))?
        .into_rgb8();
    drop(bytes);
    loop {
        for q in JPEG_QUALITIES {
            let mut out = Vec::new();
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q);
            img.write_with_encoder(enc)
                .map_err(|e| fail(e.to_string()))?;
            if out.len() as u64 <= MAX_IMAGE_BYTES {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "image".into());
                return Ok(PickedImage {
                    typed: typed.to_string(),
                    path: path.display().to_string(),
                    name: format!("{stem}.jpg"),
                    bytes: Arc::new(out),
                    format: "JPEG",
                    reencoded_from: Some(original),
                });
            }
        }
        let (w, h) = img.dimensions();
        if w < 64 || h < 64 {
            return Err(fail("it stays over 5 MiB".into()));
        }
        img = image::imageops::resize(&img, w / 2, h / 2, image::imageops::FilterType::Triangle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_only_as_a_home_prefix() {
        let home = Path::new("/home/me");
        assert_eq!(
            expand_tilde("~/a.png", Some(home)),
            Path::new("/home/me/a.png")
        );
        assert_eq!(expand_tilde("~", Some(home)), Path::new("/home/me"));
        assert_eq!(
            expand_tilde("~bob/a.png", Some(home)),
            Path::new("~bob/a.png")
        );
        assert_eq!(expand_tilde("/x/~/a", Some(home)), Path::new("/x/~/a"));
        assert_eq!(expand_tilde("~/a", None), Path::new("~/a"));
    }

    #[test]
    fn completion_extends_to_the_common_part_and_lists_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("rocket.jpg"), b"x").unwrap();
        std::fs::write(d.join("retina.jpg"), b"x").unwrap();
        std::fs::write(d.join(".hidden.png"), b"x").unwrap();
        std::fs::create_dir(d.join("space")).unwrap();
        let base = format!("{}/", d.display());
        let (done, many) = complete(&format!("{base}ro"), None);
        assert_eq!(done, format!("{base}rocket.jpg"));
        assert!(many.is_empty());
        let (done, many) = complete(&format!("{base}r"), None);
        assert_eq!(done, format!("{base}r"));
        assert_eq!(many, ["retina.jpg", "rocket.jpg"]);
        let (done, _) = complete(&format!("{base}sp"), None);
        assert_eq!(done, format!("{base}space/"), "a directory gets a slash");
        let (_, many) = complete(&base, None);
        assert!(!many.iter().any(|n| n.starts_with('.')), "{many:?}");
        // `~` expands for the lookup and stays as typed.
        let (done, _) = complete("~/ro", Some(d));
        assert_eq!(done, "~/rocket.jpg");
    }

    #[test]
    fn the_check_refuses_what_the_server_would_saying_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let img = |n: &str| format!("{}/assets/images/{n}", env!("CARGO_MANIFEST_DIR"));
        let ok = check_file(&img("coffee.webp"), None).unwrap();
        assert_eq!((ok.format, ok.name.as_str()), ("WebP", "coffee.webp"));
        std::fs::write(d.join("fake.png"), b"GIF89a not really").unwrap();
        let e = check_file(&d.join("fake.png").display().to_string(), None).unwrap_err();
        assert!(
            e.text.contains("not a JPEG, PNG or WebP") && !e.too_large,
            "{e:?}"
        );
        let e = check_file(&d.join("missing.png").display().to_string(), None).unwrap_err();
        assert!(e.text.contains("check the path"), "{e:?}");
        let mut big = std::fs::read(img("horse.png")).unwrap();
        big.resize(MAX_IMAGE_BYTES as usize + 1, 0);
        std::fs::write(d.join("big.png"), &big).unwrap();
        let e = check_file(&d.join("big.png").display().to_string(), None).unwrap_err();
        assert!(e.too_large && e.text.contains("Ctrl-R"), "{e:?}");
    }
}
