//! A malformed-input corpus (issue 11), generated here: no binary file is
//! committed. Every case runs the real binary under one harness that holds
//! the same promises for all of them:
//!
//! - the exit code is the documented one (2 for bad input, 1 for `check`
//!   findings, 0 when the input is valid but hostile);
//! - a bad input gets one error line naming the file;
//! - no panic;
//! - bounded time (killed after [`SECONDS`]) and memory (`ulimit -v`,
//!   [`MEMORY_KIB`]);
//! - every file present before the run is byte-identical after it, and no
//!   temp file or folder is left behind.
//!
//! Findings whose details a dedicated test already checks (symlinks:
//! `site_symlinks`; caps: `questionnaire_hostile`; kill -9: `build_kill`,
//! `answer_kill`) get one case here for the harness's promises, not a copy
//! of those tests. docs/hostile-input.md maps each finding to its tests.
#![cfg(unix)]

mod util;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// Wall-clock bound of one run (debug build, shared CI cores).
const SECONDS: u64 = 90;
/// Address-space bound of one run: far below the 512 GiB a lone far cell
/// once asked for, far above what any case needs.
const MEMORY_KIB: u64 = 2 * 1024 * 1024;

/// What a case must end in.
enum Expect<'a> {
    /// Exit 2 and one stderr line naming the file and saying `what`.
    Error { file: &'a str, what: &'a str },
    /// `vouch build` stops: exit 2, a summary line, then one line per
    /// error, one of which names `file` and says `what`.
    BuildStops { file: &'a str, what: &'a str },
    /// `vouch check`: exit 1 and a finding line naming `file` and saying `what`.
    Finding { file: &'a str, what: &'a str },
    /// Exit 0.
    Success,
}

/// Runs `vouch ARGS` in `dir` under the memory and time bounds.
fn run_limited(dir: &Path, args: &[&str]) -> Output {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(util::binary())
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        // Default mode, as util::vouch(): CI sets VOUCH_MODEL for full-mode tests.
        .env_remove("VOUCH_MODEL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vouch");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(SECONDS) {
            child.kill().ok();
            child.wait().ok();
            panic!("vouch {args:?} did not finish within {SECONDS} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Every regular file under `dir` (symlinks not followed) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                out.insert(e.path(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// Names of temp files and folders a run may leave (`.NAME.vouch-*`,
/// `.tmp*`) anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains(".vouch-tmp")
                || name.contains(".vouch-build-")
                || name.starts_with(".tmp")
                || name.ends_with(".vouch-old")
            {
                out.push(e.path().display().to_string());
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    out
}

/// Runs one case in `dir` and checks every promise of the harness; returns
/// the output for case-specific checks.
fn case(dir: &Path, args: &[&str], expect: Expect) -> Output {
    let before = snapshot(dir);
    let o = run_limited(dir, args);
    let (out, err) = (util::stdout(&o), util::stderr(&o));
    let context = format!("vouch {args:?}\nstdout: {out}\nstderr: {err}");
    assert!(
        !err.contains("panicked") && !out.contains("panicked"),
        "{context}"
    );
    match expect {
        Expect::Error { file, what } => {
            assert_eq!(o.status.code(), Some(2), "exit code: {context}");
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {context}");
            assert!(err.contains(file), "names {file}: {context}");
            assert!(err.contains(what), "says {what:?}: {context}");
        }
        Expect::BuildStops { file, what } => {
            assert_eq!(o.status.code(), Some(2), "exit code: {context}");
            assert!(
                err.lines().any(|l| l.contains(file) && l.contains(what)),
                "a line naming {file} saying {what:?}: {context}"
            );
        }
        Expect::Finding { file, what } => {
            assert_eq!(o.status.code(), Some(1), "exit code: {context}");
            assert!(
                out.lines()
                    .chain(err.lines())
                    .any(|l| l.starts_with(file) && l.contains(" error: ") && l.contains(what)),
                "a finding {file}:LINE: error: ... {what:?}: {context}"
            );
        }
        Expect::Success => assert!(o.status.success(), "{context}"),
    }
    let after = snapshot(dir);
    for (path, bytes) in &before {
        assert!(
            after.get(path) == Some(bytes),
            "{} changed or removed: {context}",
            path.display()
        );
    }
    assert_eq!(leftovers(dir), Vec::<String>::new(), "{context}");
    o
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// A small valid questionnaire workbook.
fn good_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "Question").unwrap();
    s.write_string(0, 1, "Answer").unwrap();
    s.write_string(1, 0, "Do you encrypt customer data at rest?")
        .unwrap();
    s.write_string(2, 0, "Do you enforce multi-factor authentication?")
        .unwrap();
    book.save_to_buffer().unwrap()
}

/// `good_xlsx` with the zip entry `name` replaced by `content` (or removed).
fn xlsx_with_entry(name: &str, content: Option<&[u8]>) -> Vec<u8> {
    use std::io::Read;
    let good = good_xlsx();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let entry = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if entry == name {
            let Some(c) = content else { continue };
            bytes = c.to_vec();
        }
        w.start_file(entry, opts).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A one-entry answer library in `dir/answers`.
fn library(dir: &Path) {
    write(
        dir,
        "answers/lib.toml",
        "[[entry]]\nid = \"ENC-001\"\nquestion = \"Is customer data encrypted at rest?\"\n\
         answer = \"Yes\"\ncomment = \"AES-256 on every data store.\"\n\n\
         [[entry]]\nid = \"IR-NDA\"\nquestion = \"Do you keep a forensics firm on retainer?\"\n\
         answer = \"Yes\"\ncomment = \"MARKER-NDA-9041\"\nvisibility = \"nda\"\n",
    );
}

/// A pid that no process has (any more): the owner of a stale temp file.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

// Finding 5 (and the readers in general): malformed and hostile
// questionnaires. Each is a one-line error naming the file, or a bounded
// success.
#[test]
fn malformed_questionnaires() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sheet_head = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
    let good = good_xlsx();
    let errors: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), ""),
        ("empty.xlsx", Vec::new(), ""),
        (
            "garbage.xlsx",
            (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
            "",
        ),
        ("truncated.xlsx", good[..good.len() / 2].to_vec(), ""),
        ("notzip.ods", b"PK\x03\x04 not really a zip".to_vec(), ""),
        (
            "nosheet.xlsx",
            xlsx_with_entry("xl/worksheets/sheet1.xml", None),
            "",
        ),
        (
            "badxml.xlsx",
            xlsx_with_entry(
                "xl/worksheets/sheet1.xml",
                Some(
                    format!("{sheet_head}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Question")
                        .as_bytes(),
                ),
            ),
            "",
        ),
        (
            "nested.json",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            "",
        ),
        ("noquestionnaire.json", br#"{"not": "vsaq"}"#.to_vec(), ""),
        ("headeronly.csv", b"Question,Answer\n".to_vec(), ""),
        (
            "binary.csv",
            (0..2048u32).map(|i| (i % 256) as u8).collect(),
            "",
        ),
    ];
    for (name, bytes, what) in &errors {
        write(dir, name, bytes);
        case(dir, &["inspect", name], Expect::Error { file: name, what });
    }

    // Billion laughs in a sheet: entities are never expanded.
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"lollollollollollollollollollol\">{}]>{}",
        (b'b'..=b'j')
            .map(|c| format!("<!ENTITY {} \"{}\">", c as char, format!("&{};", (c - 1) as char).repeat(10)))
            .collect::<String>(),
        &sheet_head[21..]
    ) + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Question &j;</t></is></c></row></sheetData></worksheet>";
    write(
        dir,
        "laughs.xlsx",
        xlsx_with_entry("xl/worksheets/sheet1.xml", Some(laughs.as_bytes())),
    );
    let o = run_limited(dir, &["inspect", "laughs.xlsx"]);
    assert!(!util::stderr(&o).contains("panicked"));
    assert!(
        matches!(o.status.code(), Some(0) | Some(2)),
        "{}",
        util::stderr(&o)
    );
    if o.status.code() == Some(2) {
        case(
            dir,
            &["inspect", "laughs.xlsx"],
            Expect::Error {
                file: "laughs.xlsx",
                what: "",
            },
        );
    }

    // A lone cell at XFD1048576: nothing is materialised from A1.
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "Question").unwrap();
    s.write_string(0, 1, "Answer").unwrap();
    s.write_string(1, 0, "Do you encrypt customer data at rest?")
        .unwrap();
    s.write_string(1_048_575, 16_383, "far").unwrap();
    // A dropdown whose list is the whole sheet, over the whole answer column.
    let dv = rust_xlsxwriter::DataValidation::new()
        .allow_list_formula(rust_xlsxwriter::Formula::new("=$A$1:$XFD$1048576"));
    s.add_data_validation(1, 1, 1_048_575, 1, &dv).unwrap();
    book.save(dir.join("far.xlsx")).unwrap();
    case(dir, &["inspect", "far.xlsx"], Expect::Success);

    // Rows over the cap; a workbook expanding past --max-size; a special file.
    let mut rows = String::from("Question,Answer\n");
    for i in 0..150_000 {
        rows.push_str(&format!("Is control {i} in place?,\n"));
    }
    write(dir, "tall.csv", &rows);
    case(
        dir,
        &["inspect", "tall.csv"],
        Expect::Error {
            file: "tall.csv",
            what: "--max-rows",
        },
    );
    let padding = format!(
        "{sheet_head}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Question</t></is></c></row>"
    ) + &" ".repeat(3 * 1024 * 1024)
        + "</sheetData></worksheet>";
    write(
        dir,
        "bomb.xlsx",
        xlsx_with_entry("xl/worksheets/sheet1.xml", Some(padding.as_bytes())),
    );
    case(
        dir,
        &["inspect", "bomb.xlsx", "--max-size", "1"],
        Expect::Error {
            file: "bomb.xlsx",
            what: "--max-size",
        },
    );
    case(
        dir,
        &["inspect", "/dev/zero"],
        Expect::Error {
            file: "/dev/zero",
            what: "not a regular file",
        },
    );
}

// Finding 6: a question of 300,000 words is answered in bounded time (the
// analysed part is capped), and the JSON report keeps the full text.
#[test]
fn a_huge_question_is_matched_in_bounded_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    library(dir);
    let words: String = (0..300_000).map(|i| format!("w{i:x} ")).collect();
    write(
        dir,
        "q.csv",
        format!("Question,Answer\nIs customer data encrypted at rest? {words},\n"),
    );
    case(
        dir,
        &[
            "answer",
            "q.csv",
            "-o",
            "out.csv",
            "--json",
            "r.json",
            "--max-cell-chars",
            "5000000",
            "-q",
        ],
        Expect::Success,
    );
    let json = std::fs::read_to_string(dir.join("r.json")).unwrap();
    assert!(
        json.contains("w493df"),
        "the report keeps the full question"
    );
}

// Findings 7, 8, 11, 12: outputs of `vouch answer`.
#[test]
fn answer_outputs_from_hostile_questionnaires() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    library(dir);
    write(dir, "q.xlsx", good_xlsx());
    write(
        dir,
        "q.csv",
        "Question,Answer,Comment\nIs customer data encrypted at rest?,,\nDo you keep a forensics firm on retainer?,,\n",
    );
    // 8: no output may replace the input or another output.
    for (file, args) in [
        ("q.csv", &["answer", "q.csv", "--json", "q.csv"][..]),
        ("q.xlsx", &["answer", "q.xlsx", "--report", "q.xlsx"][..]),
        (
            "o.xlsx",
            &["answer", "q.xlsx", "-o", "o.xlsx", "--report", "o.xlsx"][..],
        ),
    ] {
        case(dir, args, Expect::Error { file, what: "" });
    }
    // 7: a question over Excel's cell limit.
    let long = format!(
        "Is customer data encrypted at rest? {}",
        "Context. ".repeat(5_000)
    );
    write(dir, "long.csv", format!("Question,Answer\n\"{long}\",\n"));
    case(
        dir,
        &[
            "answer",
            "long.csv",
            "-o",
            "long.out.csv",
            "--report",
            "long.review.xlsx",
            "-q",
        ],
        Expect::Success,
    );
    // 11: VSAQ text becomes CSV cells that are never live formulas.
    write(
        dir,
        "app.json",
        r#"{"questionnaire": [{"type": "block", "text": "App", "items": [
  {"type": "line", "id": "app_name", "text": "=HYPERLINK(\"http://evil.example\",\"x\") Name?"},
  {"type": "radiogroup", "text": "Do you encrypt data at rest?", "choices": [{"sécurité_é": "Yes"}, {"sécurité_è": "No"}]}
]}]}"#,
    );
    case(
        dir,
        &["answer", "app.json", "-o", "app.csv", "-q"],
        Expect::Success,
    );
    let out = std::fs::read_to_string(dir.join("app.csv")).unwrap();
    let cells: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes())
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{cells:?}"
    );
    // 12: nda answers stay out of the customer's file without --nda.
    case(
        dir,
        &[
            "answer",
            "q.csv",
            "-o",
            "q.out.csv",
            "--report",
            "q.review.xlsx",
            "--fill-review",
            "-q",
        ],
        Expect::Success,
    );
    assert!(!std::fs::read_to_string(dir.join("q.out.csv"))
        .unwrap()
        .contains("MARKER-NDA-9041"));
    // 10: a temp file a killed run left is removed by the next run.
    let stale = format!(".q.out.csv.vouch-tmp-{}-1", dead_pid());
    write(dir, &stale, "half-written");
    let o = run_limited(dir, &["answer", "q.csv", "-o", "q.out.csv", "-q"]);
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(!dir.join(&stale).exists(), "stale temp file kept");
}

/// A fresh `vouch init` project in a temp dir.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = util::run_in(tmp.path(), &["-q", "init", "acme"]);
    assert!(out.status.success(), "{}", util::stderr(&out));
    let dir = tmp.path().join("acme");
    (tmp, dir)
}

// Findings 1-4, 9, 10, 13: project data from a hostile contributor.
#[test]
fn hostile_project_data() {
    // 1: a public document that is a symlink out of the project.
    let (_t, dir) = project();
    std::fs::create_dir_all(dir.join("data/files")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("data/files/evil.pdf")).unwrap();
    append(
        &dir.join("data/documents.toml"),
        "\n[[document]]\nid = \"evil\"\ntitle = \"Evil\"\nkind = \"policy\"\nfile = \"data/files/evil.pdf\"\naccess = \"public\"\n",
    );
    case(
        &dir,
        &["build", "--allow-errors"],
        Expect::BuildStops {
            file: "data/documents.toml:",
            what: "outside the project",
        },
    );
    assert!(!dir.join("public").exists());

    // 2: raw HTML in an update is published inert.
    let (_t, dir) = project();
    write(
        &dir,
        "data/updates/2026-02-01-hostile.md",
        "+++\ntitle = \"Hostile\"\ndate = 2026-02-01\n+++\nHi <script>alert(1)</script> <img src=x onerror=alert(2)>\n",
    );
    case(&dir, &["build", "-q"], Expect::Success);
    let mut files = Vec::new();
    util::all_files(&dir.join("public"), &mut files);
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html" || e == "xml"))
    {
        let mut text = std::fs::read_to_string(f).unwrap();
        if f.extension().is_some_and(|e| e == "xml") {
            // A feed carries the HTML escaped once: read it as a feed reader.
            text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
        }
        assert!(
            !text.contains("<script>alert") && !text.contains("<img src=x"),
            "{}",
            f.display()
        );
    }
    // 9: --out never replaces a folder vouch did not write.
    write(&dir, "mine/index.html", "my own site");
    write(&dir, "mine/notes.txt", "keep me");
    case(
        &dir,
        &["build", "--out", "mine"],
        Expect::Error {
            file: "mine",
            what: "refusing",
        },
    );
    // 10: leftovers of a killed build are removed by the next one.
    let stale = dir.join(format!(".public.vouch-build-{}-1", dead_pid()));
    std::fs::create_dir_all(&stale).unwrap();
    let o = run_limited(&dir, &["build", "-q"]);
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(!stale.exists(), "stale build folder kept");

    // 3: a javascript: link; 4: a misspelt key; 13: a non-ASCII date.
    let (_t, dir) = project();
    append(
        &dir.join("data/subprocessors.csv"),
        "Evil Corp,Analytics,Usage data,Ireland,2025-01-01,javascript:alert(5),public\n",
    );
    case(
        &dir,
        &["check"],
        Expect::Finding {
            file: "data/subprocessors.csv:",
            what: "website",
        },
    );
    let (_t, dir) = project();
    write(
        &dir,
        "data/updates/2026-02-02-typo.md",
        "+++\ntitle = \"Internal\"\ndate = 2026-02-02\nvisiblity = \"internal\"\n+++\nSecret.\n",
    );
    case(
        &dir,
        &["check"],
        Expect::Finding {
            file: "data/updates/2026-02-02-typo.md:",
            what: "visiblity",
        },
    );
    case(
        &dir,
        &["build"],
        Expect::BuildStops {
            file: "data/updates/2026-02-02-typo.md:",
            what: "visiblity",
        },
    );
    let (_t, dir) = project();
    write(
        &dir,
        "site/content/dated.md",
        "+++\ntitle = \"Dated\"\ndate = \"2026-03-0€x\"\n+++\nHello.\n",
    );
    write(
        &dir,
        "site/content/aéééééxyz-note.md",
        "+++\ntitle = \"Note\"\n+++\nHello.\n",
    );
    case(
        &dir,
        &["check"],
        Expect::Finding {
            file: "site/content/dated.md:",
            what: "date",
        },
    );
}
