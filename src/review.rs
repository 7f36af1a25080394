//! Review: one self-contained HTML page per document for a reviewer. The
//! text with every entity mention, value and fact evidence highlighted (a
//! tooltip says what each is and which rule made it), then tables of the
//! facts, entities, values and diagnostics.
//!
//! Highlights may overlap (a fact's evidence holds mentions and values): the
//! text is cut at every span boundary and each piece is marked with every
//! item that covers it, so the HTML never needs crossing tags.

use std::fmt::Write as _;

use crate::document::Document;
use crate::layers::{Arg, Qualifier};
use crate::pipeline::Analysis;
use crate::span::Span;

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(s, &mut out);
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// What covers a piece of text.
struct Mark {
    span: Span,
    /// CSS class: `ent-group`, `val`, `fact`, `diag`.
    class: String,
    tip: String,
}

const STYLE: &str = r#"
body { font: 15px/1.6 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 2em; }
.meta { color: #666; font-size: 0.9em; }
.text { white-space: pre-wrap; border: 1px solid #ddd; padding: 1em; border-radius: 4px; }
.legend span { padding: 0 0.4em; margin-right: 0.5em; border-radius: 3px; }
.ent-group { background: #ffd6d6; } .ent-official { background: #d6e4ff; }
.ent-person { background: #e6d6ff; } .ent-organization { background: #d6fff0; }
.ent-place { background: #fff3c4; } .val { background: #c8f7c5; outline: 1px dotted #3a3; }
.fact { border-bottom: 2px solid #e07000; } .diag { text-decoration: underline wavy #999; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } code { font-size: 0.9em; }
"#;

fn arg_text(arg: &Arg, a: &Analysis, text: &str) -> String {
    match arg {
        Arg::Entity(id) => id.clone(),
        Arg::Value(i) => match a.values.get(*i) {
            Some(v) => format!("v{} {:?} = {}", i + 1, v.span.slice(text), v.value),
            None => format!("v{}", i + 1),
        },
        Arg::Text(s) => format!("{s:?}"),
        Arg::List(items) => {
            let parts: Vec<String> = items.iter().map(|x| arg_text(x, a, text)).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

fn marks(doc: &Document, a: &Analysis) -> Vec<Mark> {
    let text = doc.text.as_str();
    let mut out = Vec::new();
    for (i, f) in a.facts.iter().enumerate() {
        let args: Vec<String> = f
            .args
            .iter()
            .map(|(k, v)| format!("{k}: {}", arg_text(v, a, text)))
            .collect();
        out.push(Mark {
            span: f.span,
            class: "fact".into(),
            tip: format!(
                "fact f{} {} ({}) [{}]",
                i + 1,
                f.kind,
                args.join("; "),
                f.rule
            ),
        });
    }
    for e in &a.entities {
        for m in &e.mentions {
            out.push(Mark {
                span: m.span,
                class: format!("ent-{}", e.etype.as_str()),
                tip: format!(
                    "{} {} \u{2014} {}{} [{}]",
                    e.etype.as_str(),
                    e.id,
                    e.name,
                    if e.known {
                        ""
                    } else {
                        " (not in the rule pack)"
                    },
                    m.rule
                ),
            });
        }
    }
    for (i, v) in a.values.iter().enumerate() {
        let mut tip = format!("value v{} {} = {}", i + 1, v.vtype.as_str(), v.value);
        if let Some(g) = &v.grain {
            let _ = write!(tip, ", grain {g}");
        }
        if let Some(q) = v.qualifier {
            let _ = write!(tip, ", {}", Qualifier::as_str(q));
        }
        if let Some(u) = &v.unit {
            let _ = write!(tip, ", unit {u}");
        }
        let _ = write!(tip, " [{}]", v.rule);
        out.push(Mark {
            span: v.span,
            class: "val".into(),
            tip,
        });
    }
    for d in &a.diagnostics {
        out.push(Mark {
            span: d.span,
            class: "diag".into(),
            tip: format!(
                "{}{}",
                d.kind,
                d.message
                    .as_ref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ),
        });
    }
    // Keep only spans that slice the text (a stage bug must not break review).
    out.retain(|m| {
        m.span.start < m.span.end
            && m.span.end <= text.len()
            && text.is_char_boundary(m.span.start)
            && text.is_char_boundary(m.span.end)
    });
    out
}

/// The highlighted text: cut at every boundary, each piece wrapped in one
/// `<span>` carrying the classes and tooltips of everything covering it.
fn highlighted(text: &str, marks: &[Mark], out: &mut String) {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for m in marks {
        cuts.push(m.span.start);
        cuts.push(m.span.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let piece = Span::new(w[0], w[1]);
        let covering: Vec<&Mark> = marks.iter().filter(|m| m.span.contains(piece)).collect();
        if covering.is_empty() {
            escape_into(piece.slice(text), out);
            continue;
        }
        let classes: Vec<&str> = covering.iter().map(|m| m.class.as_str()).collect();
        let tips: Vec<&str> = covering.iter().map(|m| m.tip.as_str()).collect();
        out.push_str("<span class=\"");
        escape_into(&classes.join(" "), out);
        out.push_str("\" title=\"");
        escape_into(&tips.join("\n"), out);
        out.push_str("\">");
        escape_into(piece.slice(text), out);
        out.push_str("</span>");
    }
}

/// The review page of one document.
pub fn html(doc: &Document, a: &Analysis) -> String {
    let text = doc.text.as_str();
    let mut o = String::with_capacity(text.len() * 3 + 4096);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>factsift review: ");
    escape_into(&doc.id, &mut o);
    o.push_str("</title>\n<style>");
    o.push_str(STYLE);
    o.push_str("</style>\n</head>\n<body>\n<h1>");
    escape_into(doc.title.as_deref().unwrap_or(&doc.id), &mut o);
    o.push_str("</h1>\n<p class=\"meta\">");
    let _ = write!(
        o,
        "source {} · date {} · {} sentences · {} entities · {} values · {} facts · {} diagnostics",
        escape(&doc.source),
        doc.date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "none".into()),
        a.seg.sentences.len(),
        a.entities.len(),
        a.values.len(),
        a.facts.len(),
        a.diagnostics.len()
    );
    o.push_str("</p>\n<p class=\"legend\"><span class=\"ent-group\">group</span><span class=\"ent-official\">official</span><span class=\"ent-person\">person</span><span class=\"ent-organization\">organization</span><span class=\"ent-place\">place</span><span class=\"val\">value</span><span class=\"fact\">fact evidence</span><span class=\"diag\">diagnostic</span> Hover for details.</p>\n<div class=\"text\">");
    highlighted(text, &marks(doc, a), &mut o);
    o.push_str("</div>\n");

    o.push_str("<h2>Facts</h2>\n<table>\n<tr><th>id</th><th>kind</th><th>arguments</th><th>evidence</th><th>rule</th></tr>\n");
    for (i, f) in a.facts.iter().enumerate() {
        let args: Vec<String> = f
            .args
            .iter()
            .map(|(k, v)| format!("<b>{}</b>: {}", escape(k), escape(&arg_text(v, a, text))))
            .collect();
        let evidence = text.get(f.span.range()).unwrap_or("");
        let _ = writeln!(
            o,
            "<tr><td>f{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            i + 1,
            escape(&f.kind),
            args.join("<br>"),
            escape(evidence),
            escape(&f.rule)
        );
    }
    o.push_str("</table>\n");

    o.push_str("<h2>Entities</h2>\n<table>\n<tr><th>id</th><th>type</th><th>name</th><th>known</th><th>mentions</th></tr>\n");
    for e in &a.entities {
        let mentions: Vec<&str> = e
            .mentions
            .iter()
            .filter_map(|m| text.get(m.span.range()))
            .collect();
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.id),
            e.etype.as_str(),
            escape(&e.name),
            e.known,
            escape(&mentions.join(" · "))
        );
    }
    o.push_str("</table>\n");

    o.push_str("<h2>Values</h2>\n<table>\n<tr><th>id</th><th>type</th><th>text</th><th>value</th><th>rule</th></tr>\n");
    for (i, v) in a.values.iter().enumerate() {
        let _ = writeln!(
            o,
            "<tr><td>v{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            i + 1,
            v.vtype.as_str(),
            escape(text.get(v.span.range()).unwrap_or("")),
            escape(&v.value.to_string()),
            escape(&v.rule)
        );
    }
    o.push_str("</table>\n");

    if !a.diagnostics.is_empty() {
        o.push_str(
            "<h2>Diagnostics</h2>\n<table>\n<tr><th>kind</th><th>text</th><th>message</th></tr>\n",
        );
        for d in &a.diagnostics {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&d.kind),
                escape(text.get(d.span.range()).unwrap_or("")),
                escape(d.message.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</table>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{Entity, EntityType, Fact, Mention, Value, ValueType};
    use std::collections::BTreeMap;

    #[test]
    fn escapes_markup_in_text_and_tooltips() {
        assert_eq!(escape(r#"<b>&"x'"#), "&lt;b&gt;&amp;&quot;x&#39;");
        let doc = Document::new("d<1>", "<script>alert(1)</script> TTP & co.");
        let page = html(&doc, &Analysis::default());
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; TTP &amp; co."));
        assert!(page.contains("<title>factsift review: d&lt;1&gt;</title>"));
    }

    #[test]
    fn overlapping_marks_nest_without_crossing_tags() {
        let text = "The TTP attacked on June 19, 2025.";
        let doc = Document::new("d", text);
        let span = |s: &str| {
            let i = text.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        let mut a = Analysis::default();
        a.entities.push(Entity {
            id: "group:ttp".into(),
            etype: EntityType::Group,
            name: "Tehrik-i-Taliban Pakistan".into(),
            known: true,
            attributes: BTreeMap::new(),
            mentions: vec![Mention {
                span: span("TTP"),
                sentence: 0,
                rule: "rules/groups.toml#ttp".into(),
            }],
        });
        a.values.push(Value::new(
            span("June 19, 2025"),
            ValueType::Date,
            serde_json::json!("2025-06-19"),
            "rules/dates.toml#mdy",
        ));
        let mut args = BTreeMap::new();
        args.insert("perpetrator".into(), Arg::Entity("group:ttp".into()));
        args.insert("time".into(), Arg::Value(0));
        a.facts.push(Fact {
            kind: "attack".into(),
            span: span("TTP attacked on June 19, 2025"),
            sentence: 0,
            rule: "rules/facts.toml#attack".into(),
            args,
        });
        let page = html(&doc, &a);
        assert!(page.contains(r#"<span class="fact ent-group" title="fact f1 attack"#));
        assert!(page.contains(">TTP</span>"));
        assert!(page.contains(r#"class="fact val""#));
        assert!(page.contains("time: v1 &quot;June 19, 2025&quot; = &quot;2025-06-19&quot;"));
        assert_eq!(
            page.matches("<span").count(),
            page.matches("</span>").count()
        );
    }
}
