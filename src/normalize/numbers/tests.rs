use super::*;
use crate::document::Document;
use crate::segment::Segmenter;

/// The default rules, compiled once for all tests.
fn rules() -> &'static NumberRules {
    static RULES: std::sync::OnceLock<NumberRules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let pack = RulePack::embedded().expect("default pack parses");
        NumberRules::compile(&pack).expect("default number rules compile")
    })
}

fn values(r: &NumberRules, text: &str) -> Vec<Value> {
    let doc = Document::new("t", text);
    let seg = Segmenter::new().segment(text);
    let mut out = Vec::new();
    r.find(&doc, &seg, &[], &mut out);
    out
}

#[test]
fn decimal_parses_digits_exactly() {
    let d = Decimal::parse("1,200").unwrap();
    assert_eq!(d.to_json(), Json::from(1200));
    let d = Decimal::parse("7.92").unwrap();
    assert_eq!(d.to_string(), "7.92");
    assert_eq!(d.to_json(), serde_json::json!(7.92));
    assert_eq!(
        Decimal::parse("2.3")
            .unwrap()
            .times(1_000_000_000_000)
            .unwrap()
            .to_json(),
        Json::from(2_300_000_000_000u64)
    );
    assert_eq!(Decimal::parse("1,2"), None);
    assert_eq!(Decimal::parse("1234,567"), None);
    assert_eq!(Decimal::parse("1.2.3"), None);
}

#[test]
fn decimal_overflow_is_none_not_a_panic() {
    let big = Decimal::parse("999999999999999999999999999999999999").unwrap();
    assert_eq!(big.times(u64::MAX), None);
    assert_eq!(Decimal::parse(&"9".repeat(60)), None);
}

#[test]
fn seed_sentence_gives_counts_and_no_years() {
    let r = rules();
    let text = "Khyber Pakhtunkhwa experienced almost 300 terror attacks in 2025, and continued the upward trend from 651 attacks in 2023 and 732 attacks in 2024.";
    let got: Vec<(&str, Json, Option<&str>)> = values(r, text)
        .iter()
        .map(|v| {
            (
                v.span.slice(text),
                v.value.clone(),
                v.qualifier.map(Qualifier::as_str),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        got,
        vec![
            ("almost 300 terror attacks", Json::from(300), Some("approx")),
            ("651 attacks", Json::from(651), None),
            ("732 attacks", Json::from(732), None),
        ]
    );
}

#[test]
fn numbers_inside_temporal_values_are_skipped() {
    let r = rules();
    let text = "Three soldiers died on June 19, 2025.";
    let doc = Document::new("t", text);
    let seg = Segmenter::new().segment(text);
    let at = text.find("June").unwrap();
    let date = Value::new(
        crate::span::Span::new(at, at + "June 19, 2025".len()),
        ValueType::Date,
        Json::from("2025-06-19"),
        "x",
    );
    let mut out = Vec::new();
    r.find(&doc, &seg, &[date], &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].span.slice(text), "Three soldiers");
    assert_eq!(out[0].extra.get("role"), Some(&Json::from("killed")));
}

#[test]
fn examples_cover_every_table() {
    let pack = RulePack::embedded().unwrap();
    let ex = NumberRules::examples(&pack);
    assert!(ex.len() >= 40, "{}", ex.len());
    for t in [
        ValueType::Count,
        ValueType::Quantity,
        ValueType::Money,
        ValueType::Percent,
    ] {
        assert!(
            ex.iter()
                .any(|e| matches!(&e.expect, Expect::Value { vtype, .. } if *vtype == t)),
            "no example of {t:?}"
        );
    }
}

#[test]
fn broken_entries_report_file_line_column() {
    let text = "[[count]]\nid = \"a\"\nunit = \"attack\"\nnouns = [\"attack\"]\n\n[[count]]\nid = \"b\"\nunit = \"raid\"\nnouns = [\"raid\", \"attack\"]\n\n[[number]]\nid = \"q\"\nkind = \"qualifier\"\nqualifier = \"roughly\"\nphrases = [\"about\"]\n\n[[currency]]\nid = \"c\"\ncode = \"usd\"\n";
    let pack = RulePack::from_sources([("rules/x.toml".to_string(), text.to_string())]).unwrap();
    let errs = NumberRules::compile(&pack).unwrap_err();
    let shown: Vec<String> = errs
        .iter()
        .map(|e| format!("{}:{}:{} {}", e.file, e.line, e.column, e.message))
        .collect();
    assert_eq!(
        shown,
        vec![
            "rules/x.toml:14:1 `qualifier` must be one of approx, more_than, at_least, less_than, at_most",
            "rules/x.toml:9:18 noun `attack` is already in class `attack`",
            "rules/x.toml:19:1 currency needs a `code` of three capital letters (ISO 4217)",
        ]
    );
}

#[test]
fn odd_inputs_do_not_panic_and_spans_slice() {
    let r = rules();
    let inputs = [
        "",
        "5",
        "$",
        "a dozen",
        "between 5 and",
        "₹",
        "1,,2 attacks",
        "Rs. ",
        "twenty-",
        "two-",
        "99999999999999999999999 attacks",
        "1.2.3.4 killed",
        "٣ attacks and ５ soldiers",
        "Ⅻ soldiers; 3½ km; 10¹ people",
        "— 4 – 5 — soldiers were killed —",
        "at least",
        "hundreds",
        "a a a dozen dozen dozen million billion trillion soldiers",
        "$1e9 and 0x10 soldiers",
        "1,000,000,000,000,000,000,000 rupees",
    ];
    for text in inputs {
        for v in values(r, text) {
            assert!(text.is_char_boundary(v.span.start) && text.is_char_boundary(v.span.end));
            assert!(v.span.end <= text.len());
        }
    }
}

#[test]
fn shifted_text_shifts_every_span() {
    let r = rules();
    let text = "Nearly 40 soldiers and a driver were killed; $1.5 billion was pledged.";
    let base = values(r, text);
    let shifted_text = format!("Ω {text}");
    let shifted = values(r, &shifted_text);
    assert_eq!(base.len(), shifted.len());
    for (a, b) in base.iter().zip(&shifted) {
        assert_eq!(a.span.start + "Ω ".len(), b.span.start);
        assert_eq!(a.value, b.value);
    }
}

#[test]
fn every_rule_example_holds() {
    let pack = RulePack::embedded().unwrap();
    let pipeline = crate::pipeline::Pipeline::new(&pack).unwrap();
    let errors = pipeline.check_examples(&pack, &NumberRules::examples(&pack));
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Any mix of number-ish pieces gives values whose spans slice the text.
    #[test]
    fn no_input_panics(parts in proptest::collection::vec(proptest::sample::select(vec![
        "1", "0", "1,200", "7.92", "2025", "-", "–", "to", "and", "between", "$", "US$", "Rs.", "₹",
        "€", "million", "crore", "a", "dozen", "dozens", "of", "twenty", "-five", "thirds", "two",
        "one", "almost", "more than", "at least", "up to", "%", "percent", "points", "km",
        "soldiers", "attacks", "police", "others", "were", "killed", "injured", "dead", "the",
        "all", ":", "(", ")", "+", "Fatalities", ".", ",", "Ω", "é", "12bn", "3rd", "10:30",
    ]), 0..24)) {
        let r = rules();
        let text = parts.join(" ");
        for v in values(r, &text) {
            proptest::prop_assert!(v.span.start < v.span.end && v.span.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(v.span.start) && text.is_char_boundary(v.span.end));
        }
    }
}
