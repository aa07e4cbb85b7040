//! Bounds on a legacy XLS container (OLE/CFB) before calamine reads it.
//!
//! calamine follows the container's sector chains as the file states them:
//! a directory chain that loops back on itself made it allocate without
//! end (20 GB from a 7 KB file, found by `fuzz/read_text`), and a stream
//! may claim any length. This check walks the same chains with loop
//! detection and refuses a stream, or mini FAT, larger than the file.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Result};

const HEADER_LEN: usize = 512;
/// Sector ids at or above this are markers (free, end of chain, FAT, DIFAT).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32_at(c, 0))
}

/// The container as calamine sees it: its bytes and sector size.
struct Container<'a> {
    bytes: &'a [u8],
    sector: usize,
}

impl Container<'_> {
    /// Sector `id` (after the header), cut at the end of the file.
    fn sector(&self, id: u32) -> &[u8] {
        let start = HEADER_LEN.saturating_add((id as usize).saturating_mul(self.sector));
        let end = start.saturating_add(self.sector).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }
}

/// Refuses a CFB container whose chains loop or whose streams claim more
/// bytes than the file holds. Errors are one line naming `path`.
pub fn check(path: &Path, bytes: &[u8]) -> Result<()> {
    let bad = |what: &str| -> Result<()> {
        bail!(
            "{}: cannot read the workbook: its XLS container is malformed ({what})",
            path.display()
        )
    };
    if bytes.len() < HEADER_LEN {
        return bad("cut short in its header");
    }
    let sector = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return bad("unknown sector size"),
    };
    let c = Container { bytes, sector };
    // The FAT sectors: 109 listed in the header, more in the DIFAT chain.
    let mut difat: Vec<u32> = u32s(&bytes[76..HEADER_LEN]).collect();
    let mut seen = HashSet::new();
    let mut next = u32_at(bytes, 68);
    while next < MAX_REGULAR_SECTOR {
        if !seen.insert(next) {
            return bad("its DIFAT chain loops");
        }
        difat.extend(u32s(c.sector(next)));
        next = difat.pop().unwrap_or(ENDOFCHAIN);
    }
    let fat: Vec<u32> = difat
        .iter()
        .filter(|id| **id < DIFSECT)
        .flat_map(|id| u32s(c.sector(*id)).collect::<Vec<_>>())
        .collect();
    // The directory chain is read to its end: it must end.
    let mut seen = HashSet::new();
    let mut dirs = Vec::new();
    let mut next = u32_at(bytes, 48);
    while next != ENDOFCHAIN && next < MAX_REGULAR_SECTOR {
        if !seen.insert(next) {
            return bad("its directory chain loops");
        }
        dirs.extend_from_slice(c.sector(next));
        match fat.get(next as usize) {
            Some(n) => next = *n,
            None => return bad("its directory chain leaves the FAT"),
        }
    }
    // Streams are read up to their stated length: none may exceed the file.
    let large = sector == 4096;
    for entry in dirs.chunks_exact(128) {
        let len = if large {
            u64::from_le_bytes(entry[120..128].try_into().unwrap_or([0; 8]))
        } else {
            u64::from(u32_at(entry, 120))
        };
        if len > bytes.len() as u64 {
            return bad("a stream claims more bytes than the file holds");
        }
    }
    let mini_fat = u64::from(u32_at(bytes, 64)).saturating_mul(sector as u64);
    if mini_fat > bytes.len() as u64 {
        return bad("its mini FAT claims more bytes than the file holds");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header with 512-byte sectors, FAT in sector 0, directory in
    /// sector 1, no DIFAT chain, no mini FAT.
    fn container(fat: &[u32], dir_len: u32) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_LEN + 2 * 512];
        b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        b[30..32].copy_from_slice(&9u16.to_le_bytes());
        b[48..52].copy_from_slice(&1u32.to_le_bytes());
        b[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for slot in b[76..HEADER_LEN].chunks_mut(4) {
            slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        b[76..80].copy_from_slice(&0u32.to_le_bytes());
        for (i, v) in fat.iter().enumerate() {
            let at = HEADER_LEN + 4 * i;
            b[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
        let entry = HEADER_LEN + 512;
        b[entry + 120..entry + 124].copy_from_slice(&dir_len.to_le_bytes());
        b
    }

    #[test]
    fn a_sound_container_passes() {
        let b = container(&[0xFFFF_FFFD, ENDOFCHAIN], 100);
        assert!(check(Path::new("ok.xls"), &b).is_ok());
    }

    #[test]
    fn a_looping_directory_chain_is_refused() {
        let b = container(&[0xFFFF_FFFD, 1], 100);
        let err = check(Path::new("loop.xls"), &b).unwrap_err().to_string();
        assert!(
            err.starts_with("loop.xls: ") && err.contains("loops"),
            "{err}"
        );
    }

    #[test]
    fn a_stream_longer_than_the_file_is_refused() {
        let b = container(&[0xFFFF_FFFD, ENDOFCHAIN], u32::MAX);
        let err = check(Path::new("long.xls"), &b).unwrap_err().to_string();
        assert!(err.contains("more bytes than the file"), "{err}");
    }
}
