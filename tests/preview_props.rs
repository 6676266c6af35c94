//! Property tests ("bounded fuzzing": fixed case counts) for the image
//! decoder of the previews (`preview::decode`): small valid pictures in
//! every accepted format, mutated (bytes flipped, inserted, cut) and
//! arbitrary bytes behind each magic number never panic and never give
//! more than the cached size; a result is either a picture or an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::preview::decode::{decode, sniff};
use aispace_tui::preview::MAX_CACHED_SIDE_PX;
use image::{DynamicImage, ImageBuffer, Rgba};
use proptest::prelude::*;

const CASES: u32 = 200;

fn encode(img: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A 13 x 9 picture with alpha and colour, in PNG, JPEG, WebP and GIF.
fn seeds() -> Vec<Vec<u8>> {
    let img = DynamicImage::ImageRgba8(ImageBuffer::from_fn(13, 9, |x, y| {
        Rgba([(x * 19) as u8, (y * 28) as u8, ((x + y) * 7) as u8, 200])
    }));
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    vec![
        encode(&img, image::ImageFormat::Png),
        encode(&rgb, image::ImageFormat::Jpeg),
        encode(&img, image::ImageFormat::WebP),
        encode(&img, image::ImageFormat::Gif),
    ]
}

/// One change to a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        1 => (any::<usize>(), 1usize..32).prop_map(|(i, n)| Mutation::Remove(i, n)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = bytes.len().max(1);
        match m {
            Mutation::Set(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] = *b;
                }
            }
            Mutation::Insert(i, v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Remove(i, n) => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
        }
    }
    bytes
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let _ = sniff(bytes);
    if let Ok(img) = decode(bytes) {
        prop_assert!(img.width() >= 1 && img.height() >= 1);
        prop_assert!(img.width() <= MAX_CACHED_SIDE_PX && img.height() <= MAX_CACHED_SIDE_PX);
    }
    Ok(())
}

#[test]
fn the_seeds_decode() {
    for (i, s) in seeds().iter().enumerate() {
        let img = decode(s).unwrap_or_else(|e| panic!("seed {i}: {e}"));
        assert_eq!((img.width(), img.height()), (13, 9), "seed {i}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_pictures_never_panic(
        seed in 0usize..4,
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = apply(seeds()[seed].clone(), &muts);
        check(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_behind_each_magic_never_panic(
        magic in prop::sample::select(vec![
            b"\x89PNG\r\n\x1a\n".to_vec(),
            b"\xff\xd8\xff".to_vec(),
            b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec(),
            b"GIF89a".to_vec(),
            Vec::new(),
        ]),
        rest in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = magic;
        bytes.extend(rest);
        check(&bytes)?;
    }
}
