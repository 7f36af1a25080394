//! Invariants on arbitrary input: nothing panics, every span slices the text
//! on character boundaries, and a document shifted by a prefix shifts every
//! span (nothing assumes offset zero).

use factsift::document::Document;
use factsift::span::Span;
use factsift::{emit, Analysis, Pipeline, RulePack};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new(&RulePack::embedded().expect("default rules parse"))
            .expect("default rules compile")
    })
}

/// Every span of every layer, by layer name.
fn spans(a: &Analysis) -> Vec<(&'static str, Span)> {
    let mut out = Vec::new();
    out.extend(a.seg.blocks.iter().map(|b| ("block", b.span)));
    out.extend(a.seg.sentences.iter().map(|s| ("sentence", s.span)));
    out.extend(a.seg.tokens.iter().map(|t| ("token", t.span)));
    for e in &a.entities {
        out.extend(e.mentions.iter().map(|m| ("mention", m.span)));
    }
    out.extend(a.values.iter().map(|v| ("value", v.span)));
    out.extend(a.facts.iter().map(|f| ("fact", f.span)));
    out.extend(a.diagnostics.iter().map(|d| ("diagnostic", d.span)));
    out
}

fn check_spans(text: &str, a: &Analysis) -> Result<(), TestCaseError> {
    for (layer, s) in spans(a) {
        prop_assert!(
            s.start <= s.end && s.end <= text.len(),
            "{layer} {s:?} out of range"
        );
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{layer} {s:?} not on char boundaries"
        );
    }
    for (i, t) in a.seg.tokens.iter().enumerate() {
        prop_assert!(!t.span.is_empty(), "empty token {i}");
        let s = &a.seg.sentences[t.sentence];
        prop_assert!(s.span.contains(t.span), "token {i} outside its sentence");
        let _ = (a.seg.folded(i), a.seg.stem(i));
    }
    for w in a.seg.sentences.windows(2) {
        prop_assert!(w[0].span.end <= w[1].span.start, "sentences overlap");
    }
    Ok(())
}

/// Text that looks like the genre: words, abbreviations, numbers, quotes,
/// headings, list items and line breaks.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Pakistan".to_string()),
        Just("U.S.".to_string()),
        Just("Gen.".to_string()),
        Just("Dr.".to_string()),
        Just("Jan. 5".to_string()),
        Just("TTP".to_string()),
        Just("Pakistan’s".to_string()),
        Just("“phenomenal”".to_string()),
        Just("Bahādur".to_string()),
        Just("7.92".to_string()),
        Just("1,200".to_string()),
        Just("—".to_string()),
        Just(".".to_string()),
        Just("?".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("# Heading\n".to_string()),
        Just("- item".to_string()),
        "[a-zA-Z]{1,8}",
        "[0-9]{1,4}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

proptest! {
    // Few cases by default so `cargo test` stays fast; PROPTEST_CASES=5000 for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let doc = Document::new("p", text.clone());
        let a = pipeline().analyze(&doc);
        check_spans(&text, &a)?;
        let mut out = Vec::new();
        emit::write(&mut out, &doc, &a, false).expect("write to a Vec");
        let _ = factsift::review::html(&doc, &a);
    }

    #[test]
    fn every_span_slices_the_text(text in prose()) {
        let doc = Document::new("p", text.clone());
        let a = pipeline().analyze(&doc);
        check_spans(&text, &a)?;
        // JSON offsets are code points: text[start:end] == item.text.
        let j = emit::to_json(&doc, &a);
        let chars: Vec<char> = text.chars().collect();
        for layer in ["values", "facts", "diagnostics"] {
            for item in j[layer].as_array().into_iter().flatten() {
                let (s, e) = (item["start"].as_u64().unwrap_or(0) as usize, item["end"].as_u64().unwrap_or(0) as usize);
                prop_assert_eq!(chars[s..e].iter().collect::<String>(), item["text"].as_str().unwrap_or(""));
            }
        }
        for ent in j["entities"].as_array().into_iter().flatten() {
            for m in ent["mentions"].as_array().into_iter().flatten() {
                let (s, e) = (m["start"].as_u64().unwrap_or(0) as usize, m["end"].as_u64().unwrap_or(0) as usize);
                prop_assert_eq!(chars[s..e].iter().collect::<String>(), m["text"].as_str().unwrap_or(""));
            }
        }
    }

    #[test]
    fn a_prefix_shifts_every_span(text in prose(), prefix in prop_oneof![
        Just(" "), Just("Preface.\n\n"), Just("Résumé — “notes”.\n\n"), Just("# Title\n\n")
    ]) {
        let base = pipeline().analyze(&Document::new("p", text.clone()));
        let shifted_text = format!("{prefix}{text}");
        let shifted = pipeline().analyze(&Document::new("p", shifted_text.clone()));
        let shift = prefix.len();
        let moved: Vec<(&str, Span)> = spans(&shifted)
            .into_iter()
            .filter(|(_, s)| s.start >= shift)
            .map(|(l, s)| (l, Span::new(s.start - shift, s.end - shift)))
            .collect();
        prop_assert_eq!(spans(&base), moved);
    }

    #[test]
    fn a_batch_gives_what_each_document_gives_alone(texts in proptest::collection::vec(prose(), 1..6)) {
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), t.clone()))
            .collect();
        let json = |d: &Document, a: &Analysis| {
            let mut out = Vec::new();
            emit::write(&mut out, d, a, false).map(|_| out).map_err(|e| TestCaseError::fail(e.to_string()))
        };
        let batch = pipeline().analyze_batch(&docs);
        prop_assert_eq!(batch.len(), docs.len());
        for (d, a) in docs.iter().zip(&batch) {
            prop_assert_eq!(json(d, a)?, json(d, &pipeline().analyze(d))?);
        }
    }
}
