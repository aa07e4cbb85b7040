//! Embeds the default theme: every file under `themes/vouch/`, found at
//! compile time, becomes an entry of `vouch::site::theme::EMBEDDED`, so a
//! new theme file is embedded without touching any code.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/vouch");
    // A directory: cargo reruns the script when any file below it changes.
    println!("cargo:rerun-if-changed=themes/vouch");
    let mut files = Vec::new();
    collect(&root, "", &mut files);
    files.sort();
    let mut code = String::from("pub static EMBEDDED: &[(&str, &[u8])] = &[\n");
    for rel in &files {
        let abs = root.join(rel);
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded_theme.rs");
    std::fs::write(out, code).expect("cannot write embedded_theme.rs");
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
