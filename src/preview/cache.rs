//! `ImageCache`: decoded pictures by media URL, least recently used first
//! out, bounded by the bytes of pixel data held.

use super::SharedImage;
use lru::LruCache;

/// A byte-bounded LRU of decoded pictures (media URL -> picture).
///
/// The budget counts pixel bytes ([`SharedImage::byte_size`]); a picture
/// larger than the whole budget is not kept. Budget 0 keeps nothing.
#[derive(Debug)]
pub struct ImageCache {
    map: LruCache<String, SharedImage>,
    bytes: usize,
    budget: usize,
}

impl Clone for ImageCache {
    fn clone(&self) -> Self {
        // Rebuild in LRU order (oldest first) so recency survives.
        let mut map = LruCache::unbounded();
        for (k, v) in self.map.iter().rev() {
            map.put(k.clone(), v.clone());
        }
        ImageCache {
            map,
            bytes: self.bytes,
            budget: self.budget,
        }
    }
}

impl ImageCache {
    /// An empty cache holding at most `budget` bytes of pixels.
    pub fn new(budget: usize) -> Self {
        ImageCache {
            map: LruCache::unbounded(),
            bytes: 0,
            budget,
        }
    }

    /// The picture for `url`, marking it most recently used.
    pub fn get(&mut self, url: &str) -> Option<SharedImage> {
        self.map.get(url).cloned()
    }

    /// The picture for `url` without touching recency.
    pub fn peek(&self, url: &str) -> Option<&SharedImage> {
        self.map.peek(url)
    }

    /// Whether `url` is cached.
    pub fn contains(&self, url: &str) -> bool {
        self.map.contains(url)
    }

    /// Stores a picture (replacing an older one for `url`), then drops the
    /// least recently used pictures until the budget holds. A picture
    /// larger than the budget is not stored.
    pub fn put(&mut self, url: String, img: SharedImage) {
        let size = img.byte_size();
        if let Some(old) = self.map.pop(&url) {
            self.bytes -= old.byte_size();
        }
        if size > self.budget {
            return;
        }
        self.bytes += size;
        self.map.put(url, img);
        while self.bytes > self.budget {
            match self.map.pop_lru() {
                Some((_, old)) => self.bytes -= old.byte_size(),
                None => break,
            }
        }
    }

    /// Pixel bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Number of pictures held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// No picture held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The byte budget.
    pub fn budget(&self) -> usize {
        self.budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;

    /// A picture of exactly `n * 3` bytes (n x 1 RGB).
    fn img(n: u32) -> SharedImage {
        SharedImage::new(DynamicImage::new_rgb8(n, 1))
    }

    #[test]
    fn evicts_least_recently_used_by_bytes() {
        let mut c = ImageCache::new(30);
        c.put("a".into(), img(4)); // 12
        c.put("b".into(), img(4)); // 24
        assert!(c.get("a").is_some()); // a is now newest
        c.put("c".into(), img(4)); // 36 > 30: b goes
        assert!(c.contains("a") && c.contains("c") && !c.contains("b"));
        assert_eq!(c.bytes(), 24);
    }

    #[test]
    fn too_large_and_zero_budget_keep_nothing() {
        let mut c = ImageCache::new(10);
        c.put("big".into(), img(4));
        assert!(c.is_empty());
        assert_eq!(c.bytes(), 0);
        let mut z = ImageCache::new(0);
        z.put("a".into(), img(1));
        assert!(z.is_empty());
    }

    #[test]
    fn replacing_an_entry_recounts_bytes() {
        let mut c = ImageCache::new(100);
        c.put("a".into(), img(4));
        c.put("a".into(), img(10));
        assert_eq!(c.bytes(), 30);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn clone_keeps_recency() {
        let mut c = ImageCache::new(24);
        c.put("a".into(), img(4));
        c.put("b".into(), img(4));
        c.get("a");
        let mut d = c.clone();
        d.put("c".into(), img(4));
        assert!(d.contains("a") && !d.contains("b"));
    }
}
