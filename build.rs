//! Embeds the default theme and the starter project: every file under
//! `themes/vouch/` (`vouch::site::theme::EMBEDDED`) and `starter/` (what
//! `vouch init` writes), found at compile time, so a new file is embedded
//! without touching any code.

use std::path::Path;

fn main() {
    embed("themes/vouch", "EMBEDDED", "embedded_theme.rs");
    embed("starter", "STARTER", "starter.rs");
}

/// Writes `OUT_DIR/out_file` declaring `name`: every file under `dir` as
/// (path relative to `dir`, bytes), sorted by path.
fn embed(dir: &str, name: &str, out_file: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    // A directory: cargo reruns the script when any file below it changes.
    println!("cargo:rerun-if-changed={dir}");
    let mut files = Vec::new();
    collect(&root, "", &mut files);
    files.sort();
    let mut code = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for rel in &files {
        let abs = root.join(rel);
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join(out_file);
    std::fs::write(out, code).expect("cannot write the embedded file list");
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            collect(&path, &format!("{rel}/"), out);
        } else if path.is_file() {
            out.push(rel);
        }
    }
}
