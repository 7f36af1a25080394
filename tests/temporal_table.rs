//! Table tests for the temporal stage: `tests/data/temporal.toml` lists
//! texts, an optional document date, and every temporal value the stage must
//! find (type, exact text, TIMEX3 value, optional mod). Every failing case is
//! reported at once.

use chrono::NaiveDate;
use factsift::document::Document;
use factsift::layers::Value;
use factsift::normalize::temporal::TemporalRules;
use factsift::rules::RulePack;
use factsift::segment::Segmenter;

fn find(rules: &TemporalRules, text: &str, date: Option<NaiveDate>) -> Vec<Value> {
    let mut doc = Document::new("table", text);
    doc.date = date;
    let seg = Segmenter::new().segment(text);
    let mut out = Vec::new();
    rules.find(&doc, &seg, &mut out);
    out
}

#[test]
fn temporal_table() {
    let data = include_str!("data/temporal.toml");
    let table: toml::Table = data.parse().expect("tests/data/temporal.toml parses");
    let cases = table
        .get("case")
        .and_then(|c| c.as_array())
        .expect("[[case]] entries");
    let pack = RulePack::embedded().expect("default pack loads");
    let rules = TemporalRules::compile(&pack).expect("dates compile");
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let text = case["text"].as_str().expect("case text");
        let date = case
            .get("date")
            .and_then(|d| d.as_str())
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("case date"));
        let want: Vec<Vec<String>> = case["spans"]
            .as_array()
            .expect("case spans")
            .iter()
            .map(|s| {
                s.as_array()
                    .expect("span is an array")
                    .iter()
                    .map(|x| x.as_str().expect("span fields are strings").to_string())
                    .collect()
            })
            .collect();
        let values = find(&rules, text, date);
        let got: Vec<Vec<String>> = values
            .iter()
            .zip(&want)
            .map(|(v, w)| {
                let mut row = vec![
                    v.vtype.as_str().to_string(),
                    v.span.slice(text).to_string(),
                    v.value.as_str().unwrap_or("").to_string(),
                ];
                if w.len() > 3 {
                    row.push(v.modifier.clone().unwrap_or_default());
                }
                row
            })
            .collect();
        // Every span slices the text on char boundaries.
        for v in &values {
            assert!(text.is_char_boundary(v.span.start) && text.is_char_boundary(v.span.end));
        }
        if got != want || values.len() != want.len() {
            let all: Vec<String> = values
                .iter()
                .map(|v| {
                    format!(
                        "[{:?}, {:?}, {:?}, {:?}]",
                        v.vtype.as_str(),
                        v.span.slice(text),
                        v.value.as_str().unwrap_or(""),
                        v.modifier.as_deref().unwrap_or("")
                    )
                })
                .collect();
            failures.push(format!(
                "case {} {:?} (date {:?}):\n  want {:?}\n  got  {}",
                i + 1,
                text,
                date,
                want,
                all.join(", ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn shifted_text_shifts_every_span() {
    let pack = RulePack::embedded().expect("default pack loads");
    let rules = TemporalRules::compile(&pack).expect("dates compile");
    let date = NaiveDate::from_ymd_opt(2025, 6, 20);
    let text = "Talks opened June 19, 2025, and resumed last week after two years.";
    let base = find(&rules, text, date);
    assert!(!base.is_empty());
    for prefix in ["x ", "é. ", "Näher — "] {
        let shifted = format!("{prefix}{text}");
        let got = find(&rules, &shifted, date);
        assert_eq!(got.len(), base.len(), "{prefix:?}");
        for (a, b) in base.iter().zip(&got) {
            assert_eq!(a.span.start + prefix.len(), b.span.start);
            assert_eq!(a.span.end + prefix.len(), b.span.end);
            assert_eq!(a.value, b.value);
        }
    }
}
