//! Writes the seed corpora, `corpus/<target>/`, from small valid files
//! generated here (workbooks built with rust_xlsxwriter, a `vouch init`
//! project, the repository's own demo and openly licensed fixtures). Built
//! by `cargo fuzz build` with the targets; run it from `fuzz/`:
//! `target/x86_64-unknown-linux-gnu/release/make_seeds`.

// `cargo fuzz build` instruments every binary of this crate: linking the
// libFuzzer runtime provides the coverage callbacks (this `main` wins over
// libFuzzer's own).
extern crate libfuzzer_sys;

use std::io::Read;
use std::path::Path;

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};
use vouch_fuzz::parts;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = root.parent().unwrap();
    let corpus = root.join("corpus");
    let put = |target: &str, name: &str, bytes: &[u8]| {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let with_mode = |mode: u8, bytes: &[u8]| {
        let mut out = vec![mode];
        out.extend_from_slice(bytes);
        out
    };

    // read_text: CSV in several dialects, VSAQ, XLS.
    let csvs: [(&str, Vec<u8>); 5] = [
        ("comma", b"ID,Question,Answer,Comment\n1.1,Do you encrypt data at rest?,,\n1.2,\"Describe your backups, please.\",Yes,\"Daily\"\n".to_vec()),
        ("semicolon", "\u{feff}Question;Réponse\nChiffrez-vous les données ?;\n=1+1;Oui\n".as_bytes().to_vec()),
        ("tab", b"No.\tQuestion\tResponse\n1\tIs MFA enforced?\t\n2\tDo you log access?\tY\n".to_vec()),
        ("cp1252", b"Question,Answer\nDo you use caf\xe9 Wi-Fi?,\n".to_vec()),
        ("quoted", b"Question,Answer\n\"Multi\nline question?\",\"\"\"quoted\"\"\"\n".to_vec()),
    ];
    for (name, csv) in &csvs {
        put("read_text", &format!("csv-{name}"), &with_mode(0, csv));
    }
    put(
        "read_text",
        "csv-demo",
        &with_mode(
            0,
            &std::fs::read(repo.join("examples/prospect-questionnaire.csv")).unwrap(),
        ),
    );
    let vsaq = std::fs::read(
        repo.join("tests/fixtures/shared/questionnaires/vsaq-physical_and_datacenter.json"),
    )
    .unwrap();
    put("read_text", "vsaq-physical", &with_mode(1, &vsaq));
    put("read_text", "vsaq-small", &with_mode(1, br#"{"questionnaire": [{"type": "block", "text": "App", "items": [
  {"type": "line", "id": "app_name", "text": "Name of the application?"},
  {"type": "radiogroup", "id": "enc", "text": "Do you encrypt data at rest?", "choices": [{"enc_yes": "Yes"}, {"enc_no": "No"}]},
  {"type": "checkbox", "id": "mfa", "text": "Is MFA enforced?"},
  {"type": "tip", "id": "t", "text": "Tip"}]}]}"#));
    put(
        "read_text",
        "xls-legacy",
        &with_mode(
            2,
            &std::fs::read(repo.join("tests/fixtures/questionnaire_legacy.xls")).unwrap(),
        ),
    );

    // read_zip and fill_xlsx: workbooks with the traits vouch looks for.
    for (name, book) in [
        ("plain", plain_book()),
        ("dropdowns", dropdown_book()),
        ("protected", protected_book()),
    ] {
        let xlsx = book;
        let parts = xlsx_parts(&xlsx);
        put(
            "read_zip",
            &format!("xlsx-parts-{name}"),
            &with_mode(0, &parts),
        );
        put(
            "read_zip",
            &format!("xlsx-raw-{name}"),
            &with_mode(2, &xlsx),
        );
        put("fill_xlsx", &format!("xlsx-parts-{name}"), &parts);
    }
    let content = ods_content();
    put("read_zip", "ods-parts", &with_mode(1, content.as_bytes()));
    put(
        "read_zip",
        "ods-raw",
        &with_mode(3, &parts::ods(content.as_bytes())),
    );

    // load_project: the starter project's data, and the demo's.
    let tmp = tempfile::tempdir().unwrap();
    let init = tmp.path().join("acme");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    vouch::cmd::init::init(&init, "Acme", today).unwrap();
    for (name, project) in [("starter", init.as_path()), ("demo", repo)] {
        let files: Vec<Vec<u8>> = parts::PROJECT_FILES
            .iter()
            .map(|rel| match *rel {
                "data/updates/2026-01-15-update.md" => first_update(&project.join("data/updates")),
                "answers/library.toml" => first_toml(&project.join("answers")),
                rel => std::fs::read(project.join(rel)).unwrap_or_default(),
            })
            .collect();
        let refs: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
        put("load_project", name, &parts::join(&refs));
    }

    // load_library: a CSV and a TOML library.
    let csv_lib = std::fs::read(repo.join("tests/fixtures/shared/eval/dev/library.csv")).unwrap();
    let short: Vec<u8> = csv_lib
        .split(|b| *b == b'\n')
        .take(8)
        .collect::<Vec<_>>()
        .join(&b'\n');
    put("load_library", "csv-dev", &with_mode(0, &short));
    put(
        "load_library",
        "toml-small",
        &with_mode(1, vouch_fuzz::SMALL_LIBRARY.as_bytes()),
    );
    put(
        "load_library",
        "toml-starter",
        &with_mode(1, &first_toml(&init.join("answers"))),
    );

    // render_markdown: data text with every Markdown construct.
    let texts = [
        "Plain *text* with **bold**, `code` and a [link](https://example.com \"t\").",
        "# Heading\n\n- one\n- two\n\n1. first\n2. second\n\n> quote\n\n---\n",
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
        "<script>alert(1)</script> and <img src=x onerror=alert(1)>",
        "[x](javascript:alert(1)) [y](data:text/html,hi) <mailto:a@example.com> ![i](https://e/i.png)",
        "[ref][r]\n\n[r]: https://example.com/ref\n\nFootnote[^1]\n\n[^1]: note\n",
        "    indented code {{ shortcode() }} {% raw %}\n~~struck~~ - [ ] task",
    ];
    for (i, t) in texts.iter().enumerate() {
        put("render_markdown", &format!("md-{i}"), t.as_bytes());
    }

    // matcher_unicode: questions in many scripts and shapes.
    let questions = [
        "Is customer data encrypted at rest?",
        "Do you NOT allow password-only logins? (Yes/No)",
        "Chiffrez-vous les données au repos ?",
        "数据在静态时是否加密？",
        "Ist die Multi-Faktor-Authentifizierung für alle Mitarbeitenden Pflicht?",
        "IAM-01.2 Describe your disaster recovery plan (RTO/RPO). ﬁ ß İ ǅ",
        "Σας παρακαλούμε περιγράψτε τη διαδικασία.",
    ];
    for (i, q) in questions.iter().enumerate() {
        put("matcher_unicode", &format!("q-{i}"), q.as_bytes());
    }
    println!("seeds written under {}", corpus.display());
}

fn first_update(dir: &Path) -> Vec<u8> {
    first_with(dir, "md")
}

fn first_toml(dir: &Path) -> Vec<u8> {
    first_with(dir, "toml")
}

fn first_with(dir: &Path, ext: &str) -> Vec<u8> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == ext) && !p.ends_with("thesaurus.toml"))
        .map(|p| std::fs::read(p).unwrap())
        .unwrap_or_default()
}

/// sheet1.xml, sharedStrings.xml, styles.xml and workbook.xml of an XLSX,
/// joined as `parts::xlsx_from_parts` reads them.
fn xlsx_parts(xlsx: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut read = |name: &str| {
        let mut out = Vec::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_end(&mut out).unwrap();
        }
        out
    };
    let parts: Vec<Vec<u8>> = [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
    ]
    .iter()
    .map(|n| read(n))
    .collect();
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    parts::join(&refs)
}

fn header(s: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in ["ID", "Question", "Answer", "Comment"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
}

fn plain_book() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    header(s);
    let rows = [
        ("1.1", "Do you encrypt customer data at rest?", ""),
        ("1.2", "Is multi-factor authentication enforced?", "Yes"),
        ("1.3", "Please describe your incident response process.", ""),
        ("1.4", "=SUM(1,1) looks like a formula?", " "),
    ];
    for (i, (id, q, a)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        s.write_string(r, 0, *id).unwrap();
        s.write_string(r, 1, *q).unwrap();
        if !a.is_empty() {
            s.write_string(r, 2, *a).unwrap();
        }
    }
    s.write_formula(5, 3, Formula::new("=B2")).unwrap();
    s.merge_range(6, 0, 6, 3, "Section two", &Format::new())
        .unwrap();
    s.write_string(7, 1, "Do you run annual penetration tests?")
        .unwrap();
    book.save_to_buffer().unwrap()
}

fn dropdown_book() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    header(s);
    s.write_string(1, 1, "Do you encrypt backups?").unwrap();
    s.write_string(2, 1, "Do you review access quarterly?")
        .unwrap();
    s.write_string(3, 1, "Are laptops encrypted?").unwrap();
    s.write_string(0, 6, "Y").unwrap();
    s.write_string(1, 6, "N").unwrap();
    s.write_string(2, 6, "NA").unwrap();
    let list = DataValidation::new()
        .allow_list_strings(&["Yes", "No", "N/A"])
        .unwrap();
    s.add_data_validation(1, 2, 2, 2, &list).unwrap();
    let range = DataValidation::new().allow_list_formula(Formula::new("=$G$1:$G$3"));
    s.add_data_validation(3, 2, 3, 2, &range).unwrap();
    s.set_row_hidden(4).unwrap();
    s.write_string(4, 1, "Hidden question?").unwrap();
    book.save_to_buffer().unwrap()
}

fn protected_book() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    header(s);
    let unlocked = Format::new().set_unlocked();
    s.write_string(1, 1, "Do you keep audit logs for a year?")
        .unwrap();
    s.write_blank(1, 2, &unlocked).unwrap();
    s.write_string(2, 1, "Is production access reviewed?")
        .unwrap();
    s.protect();
    book.save_to_buffer().unwrap()
}

fn ods_content() -> String {
    let cell = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let rows = [
        format!("<table:table-row>{}{}{}</table:table-row>", cell("ID"), cell("Question"), cell("Answer")),
        format!("<table:table-row>{}{}<table:table-cell/></table:table-row>", cell("1"), cell("Do you encrypt backups?")),
        format!(r#"<table:table-row table:number-rows-repeated="2">{}{}</table:table-row>"#, cell("2"), cell("Is MFA on?")),
        r#"<table:table-row><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="float" office:value="3.5"><text:p>3.5</text:p></table:table-cell></table:table-row>"#.to_owned(),
    ]
    .concat();
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
            r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
            r#"<office:body><office:spreadsheet><table:table table:name="Vendor">{}</table:table>"#,
            r#"</office:spreadsheet></office:body></office:document-content>"#
        ),
        rows
    )
}
