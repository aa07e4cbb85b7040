//! CSV and VSAQ questionnaires: encodings, delimiters, embedded newlines,
//! formula neutralisation, and the real files in ../shared/questionnaires.

mod util;

use std::path::Path;

use vouch::questionnaire::{
    self, AnswerFormat, Fill, Format, Questionnaire, ReadOptions, RowStatus,
};

fn read(path: &Path) -> Questionnaire {
    questionnaire::read(path, &ReadOptions::default()).expect("read questionnaire")
}

fn fill(sheet: &str, row: u32, answer: &str, comment: Option<&str>) -> Fill {
    Fill {
        sheet: sheet.into(),
        row,
        answer: Some(answer.into()),
        comment: comment.map(str::to_owned),
    }
}

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

const BASIC: &str = "Ref,Question,Answer,Comments\r\n\
1.1,Do you encrypt customer data at rest?,,\r\n\
1.2,\"Describe your backup process,\nincluding how often backups run.\",,\r\n\
1.3,Is MFA enforced for administrators?,Yes,\r\n";

#[test]
fn utf8_bom_crlf_and_embedded_newline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.csv");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(BASIC.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let q = read(&path);
    assert_eq!(q.format, Format::Csv);
    // Record numbers, not physical lines: the quoted newline does not shift row 4.
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(rows, vec![2, 3, 4]);
    assert_eq!(q.questions[0].id.as_deref(), Some("1.1"));
    assert_eq!(q.questions[2].existing_answer.as_deref(), Some("Yes"));
    let layout = &q.sheets[0];
    assert_eq!(layout.answer_col.as_deref(), Some("C"));
    assert_eq!(layout.comment_col.as_deref(), Some("D"));

    let out = dir.path().join("out.csv");
    let sheet = q.sheets[0].name.clone();
    let fills = [
        fill(&sheet, 2, "Yes", Some("=HYPERLINK(\"http://evil\")")),
        // A "Describe…" question gets the explanation, not a bare No.
        fill(&sheet, 3, "No", Some("@SUM(A1) nightly, encrypted, tested")),
        fill(&sheet, 4, "No", Some("Should not appear")),
    ];
    let summary = questionnaire::write_filled(&q, &fills, &out).unwrap();
    assert_eq!(summary.answers_written, 2);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    let statuses: Vec<RowStatus> = summary.rows.iter().map(|o| o.status).collect();
    assert_eq!(
        statuses,
        [RowStatus::Written, RowStatus::Written, RowStatus::Kept],
        "row 4 already answered"
    );
    let written = std::fs::read(&out).unwrap();
    assert!(written.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM kept");
    let text = std::str::from_utf8(&written[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF kept");
    let recs = records(text.as_bytes(), b',');
    assert_eq!(recs.len(), 4, "same record count");
    assert_eq!(recs[0], vec!["Ref", "Question", "Answer", "Comments"]);
    assert_eq!(recs[1][2], "Yes");
    assert_eq!(recs[1][3], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(
        recs[2][1],
        "Describe your backup process,\nincluding how often backups run."
    );
    assert_eq!(recs[2][2], "'@SUM(A1) nightly, encrypted, tested");
    assert_eq!(recs[2][3], "", "the explanation went into the answer cell");
    assert_eq!(recs[3][2], "Yes", "existing answer kept");
    assert_eq!(recs[3][3], "", "no comment next to an existing answer");
}

#[test]
fn semicolon_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.csv");
    let text = "Nr;Frage / Question;Antwort / Response;Bemerkung / Comment\n\
1;Is data stored in a caf\u{e9} in Z\u{fc}rich?;;\n\
2;Do you have a DPO?;;\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(&path, &bytes).unwrap();
    let q = read(&path);
    assert_eq!(q.questions.len(), 2);
    assert!(q.questions[0].text.contains("café in Zürich"));
    let out = dir.path().join("out.csv");
    let sheet = q.sheets[0].name.clone();
    questionnaire::write_filled(
        &q,
        &[
            fill(&sheet, 2, "N/A", Some("Zürich only")),
            fill(&sheet, 3, "Yes", None),
        ],
        &out,
    )
    .unwrap();
    let written = std::fs::read(&out).unwrap();
    assert!(std::str::from_utf8(&written).is_err(), "still Windows-1252");
    assert!(written.windows(2).any(|w| w == b"\xfcr"), "ü as one byte");
    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&written);
    assert!(!decoded.contains("\r\n"), "LF kept");
    let recs = records(decoded.as_bytes(), b';');
    assert_eq!(recs.len(), 3);
    assert_eq!(
        recs[1],
        vec![
            "1",
            "Is data stored in a café in Zürich?",
            "N/A",
            "Zürich only"
        ]
    );
    assert_eq!(recs[2][2], "Yes");
}

#[test]
fn tab_delimited() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.tsv");
    std::fs::write(
        &path,
        "Question\tResponse\nDo you log admin access?\t\nAre logs kept for a year?\t\n",
    )
    .unwrap();
    let q = read(&path);
    assert_eq!(q.questions.len(), 2);
    let out = dir.path().join("out.tsv");
    let sheet = q.sheets[0].name.clone();
    questionnaire::write_filled(&q, &[fill(&sheet, 3, "No", None)], &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "Question\tResponse\nDo you log admin access?\t\nAre logs kept for a year?\tNo\n"
    );
}

#[test]
fn thinsky_csv() {
    let path = util::shared().join("questionnaires/thinsky-sig-lite-style-answer-library.csv");
    let q = read(&path);
    assert_eq!(q.questions.len(), 33);
    let rows: Vec<u32> = q.questions.iter().map(|x| x.row).collect();
    assert_eq!(rows, (2..=34).collect::<Vec<_>>());
    let s = &q.sheets[0];
    assert_eq!(s.question_col.as_deref(), Some("C"));
    assert_eq!(s.answer_col.as_deref(), Some("D"));
    assert_eq!(s.comment_col.as_deref(), Some("E"));
    assert_eq!(q.questions[0].id.as_deref(), Some("EX-1"));
    assert!(q.questions[0].existing_answer.is_some());
    assert!(q.questions[3].existing_answer.is_none());

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let fills: Vec<Fill> = q
        .questions
        .iter()
        .map(|x| fill(&x.sheet, x.row, "Yes", Some("See policy.")))
        .collect();
    let summary = questionnaire::write_filled(&q, &fills, &out).unwrap();
    // The three worked examples already hold an answer and evidence; the
    // four open questions ("Which cloud providers…") take no bare Yes.
    let open: Vec<u32> = q
        .questions
        .iter()
        .filter(|x| x.answer_format == AnswerFormat::FreeText)
        .map(|x| x.row)
        .collect();
    assert_eq!(open, vec![8, 18, 23, 29]);
    assert_eq!(summary.answers_written, 26);
    let kept = summary.rows.iter().filter(|o| o.status == RowStatus::Kept);
    assert_eq!(kept.count(), 3);
    let skipped = summary
        .rows
        .iter()
        .filter(|o| o.status == RowStatus::Skipped);
    assert_eq!(skipped.count(), 4);
    let before = records(&std::fs::read(&path).unwrap(), b',');
    let after = records(&std::fs::read(&out).unwrap(), b',');
    assert_eq!(before.len(), after.len());
    for (i, (b, a)) in before.iter().zip(&after).enumerate().skip(4) {
        if open.contains(&(i as u32 + 1)) {
            assert_eq!(a, b, "open question left alone");
            continue;
        }
        assert_eq!(a[3], "Yes");
        assert_eq!(a[4], "See policy.");
        assert_eq!(a[..3], b[..3]);
        assert_eq!(a[5..], b[5..]);
    }
    assert_eq!(before[1], after[1], "example rows untouched");
}

#[test]
fn vsaq_questionnaires() {
    let expected = [
        ("vsaq-webapp.json", 73),
        ("vsaq-infrastructure.json", 96),
        ("vsaq-security_privacy_programs.json", 46),
        ("vsaq-physical_and_datacenter.json", 30),
    ];
    for (file, n) in expected {
        let q = read(&util::shared().join("questionnaires").join(file));
        assert_eq!(q.format, Format::VsaqJson);
        assert_eq!(q.questions.len(), n, "{file}");
        assert!(q.questions.iter().all(|x| x.id.is_some()), "{file}: ids");
        assert!(
            q.questions
                .iter()
                .all(|x| !x.text.contains("<p>") && !x.text.contains("<code>")),
            "{file}: HTML stripped"
        );
    }
    let q = read(&util::shared().join("questionnaires/vsaq-webapp.json"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("webapp-filled.json");
    let first = &q.questions[0];
    let summary =
        questionnaire::write_filled(&q, &[fill(&first.sheet, first.row, "Yes", None)], &out)
            .unwrap();
    assert_eq!(summary.converted_from, Some(Format::VsaqJson));
    assert_eq!(summary.output, dir.path().join("webapp-filled.csv"));
    let recs = records(&std::fs::read(&summary.output).unwrap(), b',');
    assert_eq!(recs.len(), 74);
    assert_eq!(recs[0][5], "answer");
    assert_eq!(recs[1][5], "Yes");
    assert_eq!(recs[1][0], first.id.clone().unwrap());
}
