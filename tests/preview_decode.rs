//! Decoding previews: every demo picture (assets/images, the same files as
//! the sandbox serves) and odd inputs come out as a picture or the right
//! one-line reason, never a panic.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::preview::decode::{decode, decode_full, sniff, ImageFormat};
use aispace_tui::preview::{PreviewError, MAX_CACHED_SIDE_PX};
use image::{DynamicImage, ImageBuffer, Rgb, Rgba};
use std::path::Path;

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    out
}

/// Checks a decoded picture: 8-bit RGB(A), the expected size.
fn assert_picture(img: &DynamicImage, w: u32, h: u32, what: &str) {
    assert_eq!((img.width(), img.height()), (w, h), "{what}: size");
    assert!(
        matches!(
            img,
            DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_)
        ),
        "{what}: normalised to 8-bit RGB(A), got {:?}",
        img.color()
    );
}

#[test]
fn every_demo_picture_decodes_at_its_size() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/images");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = read(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let header = image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .unwrap()
            .into_dimensions()
            .unwrap();
        let img = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {}", e.reason()));
        assert_picture(&img, header.0, header.1, &name);
        names.push(name);
    }
    names.sort();
    // jpeg (baseline, progressive, EXIF), png (rgb, grey, rgba) and webp.
    for n in [
        "chelsea-progressive.jpg",
        "hubble_deep_field.jpg",
        "camera.png",
        "horse.png",
        "coffee.webp",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    assert!(names.len() >= 10, "{names:?}");
}

#[test]
fn the_shared_test_images_are_the_sandbox_ones() {
    let shared = Path::new("/work/shared/images");
    if !shared.exists() {
        return; // only on the project machine
    }
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/images");
    for entry in std::fs::read_dir(&ours).unwrap() {
        let path = entry.unwrap().path();
        let other = shared.join(path.file_name().unwrap());
        assert_eq!(read(&path), read(&other), "{}", path.display());
    }
}

#[test]
fn grayscale_and_alpha_keep_their_look() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/images");
    // camera.png is 8-bit grey: R = G = B after decoding.
    let cam = decode(&read(dir.join("camera.png"))).unwrap().to_rgb8();
    let p = cam.get_pixel(100, 100);
    assert!(p[0] == p[1] && p[1] == p[2], "{p:?}");
    // horse.png has alpha: kept as RGBA.
    let horse = decode(&read(dir.join("horse.png"))).unwrap();
    assert!(matches!(horse, DynamicImage::ImageRgba8(_)));
    // Grey + alpha, generated.
    let ga = ImageBuffer::from_fn(4, 4, |x, _| {
        image::LumaA([200u8, if x < 2 { 0 } else { 255 }])
    });
    let img = decode(&png(&DynamicImage::ImageLumaA8(ga))).unwrap();
    assert!(matches!(img, DynamicImage::ImageRgba8(_)));
    let px = img.to_rgba8();
    assert_eq!(px.get_pixel(3, 0).0, [200, 200, 200, 255]);
    assert_eq!(px.get_pixel(0, 0).0[3], 0);
}

#[test]
fn sixteen_bit_png_becomes_8_bit_with_the_right_colours() {
    let img16 = ImageBuffer::from_fn(8, 8, |x, _| {
        if x < 4 {
            Rgb([65535u16, 0, 0])
        } else {
            Rgb([0u16, 0, 32896])
        }
    });
    let bytes = png(&DynamicImage::ImageRgb16(img16));
    let img = decode(&bytes).unwrap();
    assert_picture(&img, 8, 8, "16-bit png");
    let rgb = img.to_rgb8();
    assert_eq!(rgb.get_pixel(0, 0).0, [255, 0, 0]);
    assert_eq!(rgb.get_pixel(7, 7).0, [0, 0, 128]);
}

#[test]
fn palette_png_is_expanded() {
    let bytes = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/palette.png"
    ));
    let img = decode(&bytes).unwrap();
    assert_picture(&img, 48, 32, "palette png");
}

#[test]
fn cmyk_jpeg_is_shown_as_rgb() {
    let bytes = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cmyk.jpg"
    ));
    let img = decode(&bytes).unwrap_or_else(|e| panic!("CMYK: {}", e.reason()));
    assert_picture(&img, 64, 43, "cmyk jpeg");
    // Compare with the RGB original at the same size: colours must be
    // close (not inverted, not channel-swapped).
    let orig = decode(&read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/images/rocket.jpg"
    )))
    .unwrap()
    .resize_exact(64, 43, image::imageops::FilterType::Triangle)
    .to_rgb8();
    let got = img.to_rgb8();
    let diff: u64 = got
        .pixels()
        .zip(orig.pixels())
        .map(|(a, b)| (0..3).map(|i| u64::from(a[i].abs_diff(b[i]))).sum::<u64>())
        .sum();
    let mean = diff as f64 / (64.0 * 43.0 * 3.0);
    assert!(
        mean < 40.0,
        "CMYK colours are off: mean channel difference {mean}"
    );
}

#[test]
fn exif_orientation_is_applied() {
    let bytes = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/exif-orientation-6.jpg"
    ));
    // Stored 64 x 32 with red left, blue right; orientation 6 = rotate 90° cw.
    let img = decode(&bytes).unwrap();
    assert_picture(&img, 32, 64, "exif 6");
    let rgb = img.to_rgb8();
    let top = rgb.get_pixel(16, 8).0;
    let bottom = rgb.get_pixel(16, 56).0;
    assert!(top[0] > 200 && top[2] < 60, "top should be red: {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom should be blue: {bottom:?}"
    );
}

#[test]
fn one_by_one_and_extreme_aspect_ratios() {
    let one = png(&DynamicImage::ImageRgba8(ImageBuffer::from_pixel(
        1,
        1,
        Rgba([1, 2, 3, 255]),
    )));
    assert_picture(&decode(&one).unwrap(), 1, 1, "1x1");
    // 8000 x 50: decodes, then shrinks to the cache size, aspect kept.
    let wide = png(&DynamicImage::ImageRgb8(ImageBuffer::from_pixel(
        8000,
        50,
        Rgb([9, 9, 9]),
    )));
    let full = decode_full(&wide).unwrap();
    assert_eq!((full.width(), full.height()), (8000, 50));
    let img = decode(&wide).unwrap();
    assert_eq!(img.width(), MAX_CACHED_SIDE_PX);
    assert_eq!(img.height(), 13);
}

/// CRC-32 (ISO-HDLC) for hand-made PNG chunks.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    // A tiny (wrong-sized) IDAT and IEND, so only the header matters.
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01".to_vec();
    out.extend(((idat.len() - 4) as u32).to_be_bytes());
    out.extend(&idat);
    out.extend(crc32(&idat).to_be_bytes());
    out.extend(0u32.to_be_bytes());
    out.extend(b"IEND");
    out.extend(crc32(b"IEND").to_be_bytes());
    out
}

#[test]
fn a_huge_declared_size_is_too_large_without_allocating() {
    assert_eq!(
        decode(&png_header(100_000, 100_000)),
        Err(PreviewError::TooLarge)
    );
    assert_eq!(decode(&png_header(9000, 10)), Err(PreviewError::TooLarge));
    assert_eq!(PreviewError::TooLarge.reason(), "too large");
}

#[test]
fn wrong_magic_is_unsupported() {
    for bytes in [
        b"<html><body>404</body></html>".to_vec(),
        Vec::new(),
        b"BM\x00\x00".to_vec(),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
    ] {
        assert_eq!(sniff(&bytes), None);
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e, PreviewError::UnsupportedFormat);
        assert_eq!(e.reason(), "unsupported format");
    }
    // Right magic, garbage after it: a reason, not a panic.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend([0xAB; 64]);
    let e = decode(&fake).unwrap_err();
    assert!(!e.reason().is_empty());
}

#[test]
fn truncated_files_give_a_picture_or_truncated_image() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/images");
    for name in [
        "hubble_deep_field.jpg",
        "chelsea-progressive.jpg",
        "coffee.png",
        "coffee.webp",
    ] {
        let bytes = read(dir.join(name));
        for cut in [bytes.len() / 2, 100, 20] {
            let part = &bytes[..cut];
            match decode(part) {
                Ok(img) => assert!(img.width() > 0, "{name} cut at {cut}"),
                Err(e) => assert!(
                    matches!(e, PreviewError::Truncated | PreviewError::Corrupt(_)),
                    "{name} cut at {cut}: {e:?}"
                ),
            }
        }
    }
    // A PNG cut in its pixel data says "truncated image".
    let bytes = read(dir.join("coffee.png"));
    let e = decode(&bytes[..bytes.len() / 2]).unwrap_err();
    assert_eq!(e, PreviewError::Truncated, "{e:?}");
    assert_eq!(e.reason(), "truncated image");
}

#[test]
fn every_prefix_of_a_small_jpeg_is_handled() {
    let img = DynamicImage::ImageRgb8(ImageBuffer::from_fn(16, 16, |x, y| {
        Rgb([(x * 16) as u8, (y * 16) as u8, 99])
    }));
    let bytes = jpeg(&img);
    for cut in 0..bytes.len() {
        let _ = decode(&bytes[..cut]); // must not panic
    }
    assert!(decode(&bytes).is_ok());
    assert_eq!(sniff(&bytes), Some(ImageFormat::Jpeg));
}

#[test]
fn gif_first_frame_is_shown() {
    let mut out = Vec::new();
    let frame = ImageBuffer::from_pixel(5, 3, Rgba([10, 200, 30, 255]));
    image::codecs::gif::GifEncoder::new(&mut out)
        .encode(frame.as_raw(), 5, 3, image::ExtendedColorType::Rgba8)
        .unwrap();
    let img = decode(&out).unwrap();
    assert_eq!((img.width(), img.height()), (5, 3));
}

#[test]
fn picture_errors_name_the_image_host_not_aispace() {
    use aispace_tui::api::ApiError;
    let url = "https://img.example.net/a/b.png";
    for e in [
        ApiError::Network("connection failed: Connection refused".into()),
        ApiError::Timeout(std::time::Duration::from_secs(20)),
    ] {
        let reason = PreviewError::from_media(&e, url).reason();
        assert!(reason.contains("img.example.net"), "{reason}");
        assert!(!reason.contains("AIspace"), "{reason}");
    }
    let refused = ApiError::InvalidUrl(
        "the picture host 10.0.0.1 is a local or private address; pictures are fetched only from public addresses".into(),
    );
    assert_eq!(
        PreviewError::from_media(&refused, "http://10.0.0.1/x.png").reason(),
        "not fetched: 10.0.0.1 is a private address"
    );
}

/// A `w` x `h` 16-bit RGB PNG, every row the same (left half red, right
/// half blue), written row by row.
fn png16(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Sixteen);
    let mut header = e.write_header().unwrap();
    let mut wr = header.stream_writer().unwrap();
    let row: Vec<u8> = (0..w)
        .flat_map(|x| {
            let px: [u16; 3] = if x < w / 2 {
                [65535, 0, 0]
            } else {
                [0, 0, 65535]
            };
            px.into_iter().flat_map(u16::to_be_bytes)
        })
        .collect();
    for _ in 0..h {
        std::io::Write::write_all(&mut wr, &row).unwrap();
    }
    wr.finish().unwrap();
    header.finish().unwrap();
    out
}

/// A `w` x `h` grey-blue JPEG (baseline or progressive).
fn big_jpeg(w: u16, h: u16, progressive: bool) -> Vec<u8> {
    let rgb = [40u8, 90, 200].repeat(usize::from(w) * usize::from(h));
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 75);
    e.set_progressive(progressive);
    e.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

#[test]
fn no_decoded_picture_exceeds_the_budget() {
    use aispace_tui::preview::MAX_DECODED_BYTES;
    // 8000 x 8000 baseline JPEG (192 MB as RGB): decoded at a quarter
    // scale, near the cached size.
    let jpeg = big_jpeg(8000, 8000, false);
    let full = decode_full(&jpeg).unwrap();
    assert_eq!((full.width(), full.height()), (2000, 2000));
    assert!(full.as_bytes().len() as u64 <= MAX_DECODED_BYTES);
    let px = full.to_rgb8().get_pixel(1000, 1000).0;
    assert!(
        px.iter()
            .zip([40, 90, 200])
            .all(|(a, b)| a.abs_diff(b) < 12),
        "{px:?}"
    );
    assert_picture(&decode(&jpeg).unwrap(), 2000, 2000, "jpeg");
    // Progressive: every coefficient would be held while decoding.
    let progressive = big_jpeg(8000, 8000, true);
    assert_eq!(decode(&progressive), Err(PreviewError::TooLarge));
    // A small progressive one is fine.
    assert_picture(
        &decode(&big_jpeg(300, 200, true)).unwrap(),
        300,
        200,
        "small progressive",
    );
}

#[test]
fn a_huge_16_bit_png_is_shrunk_while_it_is_read() {
    // 8000 x 8000 x 16-bit RGB is 384 MB decoded: read row by row instead.
    let img = decode(&png16(8000, 8000)).unwrap();
    assert_picture(&img, MAX_CACHED_SIDE_PX, MAX_CACHED_SIDE_PX, "png16");
    let rgb = img.to_rgb8();
    assert_eq!(rgb.get_pixel(10, 10).0, [255, 0, 0]);
    assert_eq!(rgb.get_pixel(2040, 2040).0, [0, 0, 255]);
    // Not square: the aspect is kept.
    let wide = decode(&png16(6000, 3000)).unwrap();
    assert_picture(&wide, 2048, 1024, "wide png16");
}

#[test]
fn a_cancelled_decode_stops() {
    use aispace_tui::preview::decode::decode_cancellable;
    use std::sync::atomic::{AtomicBool, Ordering};
    let bytes = png16(8000, 8000);
    let raised = AtomicBool::new(true);
    assert_eq!(
        decode_cancellable(&bytes, &raised),
        Err(PreviewError::Cancelled)
    );
    // Raised while the decode runs: it gives up instead of finishing.
    let flag = std::sync::Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(30));
        f.store(true, Ordering::Relaxed);
    });
    assert_eq!(
        decode_cancellable(&bytes, &flag),
        Err(PreviewError::Cancelled)
    );
    raiser.join().unwrap();
    let jpeg = big_jpeg(64, 64, false);
    assert_eq!(
        decode_cancellable(&jpeg, &raised),
        Err(PreviewError::Cancelled)
    );
}
