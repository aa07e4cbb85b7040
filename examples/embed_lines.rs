//! The transformer's sentence vectors for a file of texts, one per line, as
//! raw little-endian f32 rows (384 per text): the teacher for
//! `scripts/distill_static.py --variant learned`.
//!
//! Run: `cargo run --release --example embed_lines -- MODEL_DIR IN.txt OUT.f32`

use std::io::Write;

use vouch::embed::Transformer;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, input, output] = args.as_slice() else {
        anyhow::bail!("usage: embed_lines MODEL_DIR IN.txt OUT.f32");
    };
    let model = Transformer::load(std::path::Path::new(model))?;
    let text = std::fs::read_to_string(input)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    for (n, chunk) in lines.chunks(2048).enumerate() {
        for v in model.embed_uncached(chunk)? {
            for x in v.as_slice() {
                out.write_all(&x.to_le_bytes())?;
            }
        }
        eprintln!("{} of {}", ((n + 1) * 2048).min(lines.len()), lines.len());
    }
    out.flush()?;
    Ok(())
}
