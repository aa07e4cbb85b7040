//! A content-addressed cache of sentence vectors, so that full mode embeds a
//! library once: a vector is stored under (model hash, text hash), and a
//! changed entry or another model simply misses.
//!
//! One file per model, `<dir>/<model hash>.vec`: `b"VOUCHVEC"`, u32 dims,
//! then records of a 128-bit text hash and `dims` f32 values. It is rewritten
//! atomically when new vectors are added; a damaged file reads as empty.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Vector;

const MAGIC: &[u8; 8] = b"VOUCHVEC";

/// Where vectors are cached: `$VOUCH_CACHE_DIR`, else the user cache dir
/// (`$XDG_CACHE_HOME/vouch` or `~/.cache/vouch`), else `.vouch-cache/`.
pub fn default_dir() -> PathBuf {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env("VOUCH_CACHE_DIR") {
        return dir;
    }
    if let Some(dir) = env("XDG_CACHE_HOME") {
        return dir.join("vouch").join("embeddings");
    }
    if let Some(home) = env("HOME") {
        return home.join(".cache").join("vouch").join("embeddings");
    }
    PathBuf::from(".vouch-cache")
}

/// A 128-bit content hash (two independent 64-bit FNV-1a-style lanes with a
/// final mix): ample for telling texts and model files apart, not a
/// cryptographic digest.
pub fn content_hash(bytes: &[u8]) -> u128 {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        a = (a ^ w).wrapping_mul(0x0000_0100_0000_01b3);
        b = (b.rotate_left(23) ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    for &byte in chunks.remainder() {
        a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        b = (b.rotate_left(23) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (u128::from(mix(a)) << 64) | u128::from(mix(b ^ a.rotate_left(32)))
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub struct VectorCache {
    path: PathBuf,
    dims: usize,
    vectors: HashMap<u128, Vector>,
    dirty: bool,
}

impl VectorCache {
    /// Opens (or starts) the cache of model `model_hash` in `dir`.
    pub fn open(dir: &Path, model_hash: u128, dims: usize) -> Self {
        let path = dir.join(format!("{model_hash:032x}.vec"));
        let vectors = std::fs::read(&path)
            .ok()
            .and_then(|bytes| parse(&bytes, dims))
            .unwrap_or_default();
        VectorCache {
            path,
            dims,
            vectors,
            dirty: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    pub fn get(&self, text: &str) -> Option<&Vector> {
        self.vectors.get(&content_hash(text.as_bytes()))
    }

    pub fn insert(&mut self, text: &str, vector: Vector) {
        debug_assert_eq!(vector.dims(), self.dims);
        self.vectors.insert(content_hash(text.as_bytes()), vector);
        self.dirty = true;
    }

    /// Writes the cache back if anything was added.
    pub fn save(&mut self) -> Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(12 + self.vectors.len() * (16 + 4 * self.dims));
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(self.dims as u32).to_le_bytes());
        let mut keys: Vec<&u128> = self.vectors.keys().collect();
        keys.sort();
        for key in keys {
            bytes.extend_from_slice(&key.to_le_bytes());
            for x in self.vectors[key].as_slice() {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        crate::util::write_atomic(&self.path, &bytes)?;
        self.dirty = false;
        Ok(())
    }
}

fn parse(bytes: &[u8], dims: usize) -> Option<HashMap<u128, Vector>> {
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return None;
    }
    if u32::from_le_bytes(bytes[8..12].try_into().ok()?) as usize != dims {
        return None;
    }
    let record = 16 + 4 * dims;
    let body = &bytes[12..];
    if !body.len().is_multiple_of(record) {
        return None;
    }
    let mut out = HashMap::with_capacity(body.len() / record);
    for r in body.chunks_exact(record) {
        let key = u128::from_le_bytes(r[..16].try_into().ok()?);
        let values: Vec<f32> = r[16..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        out.insert(key, Vector(values));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_a_round_trip_and_other_models_miss() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vector::normalized(vec![1.0, 2.0, 2.0]);
        let mut cache = VectorCache::open(dir.path(), 7, 3);
        assert!(cache.get("a").is_none());
        cache.insert("a", v.clone());
        cache.save().unwrap();
        let again = VectorCache::open(dir.path(), 7, 3);
        assert_eq!(again.get("a"), Some(&v));
        assert!(again.get("b").is_none());
        assert!(VectorCache::open(dir.path(), 8, 3).is_empty());
        assert!(VectorCache::open(dir.path(), 7, 4).is_empty());
    }

    #[test]
    fn a_damaged_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let cache = VectorCache::open(dir.path(), 1, 2);
        std::fs::write(cache.path(), b"VOUCHVEC\x02\0\0\0garbage").unwrap();
        assert!(VectorCache::open(dir.path(), 1, 2).is_empty());
    }

    #[test]
    fn hashes_differ_for_close_texts() {
        assert_ne!(
            content_hash(b"Is MFA enforced?"),
            content_hash(b"Is MFA enforced? ")
        );
        assert_eq!(content_hash(b"x"), content_hash(b"x"));
    }
}
