//! Entity patterns: officials and persons from titles and roles, groups from
//! naming patterns, places from context. Every candidate found here has
//! `known: false`, a slug id and [`PRIO_PATTERN`].

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{slug, Candidate, EntityMatcher, Hit, PRIO_PATTERN};
use crate::document::Document;
use crate::layers::EntityType;
use crate::segment::{Segmentation, TokenKind};
use crate::span::Span;

/// Capitalized words that never start or continue a name.
fn is_not_name(w: &str) -> bool {
    super::is_function_or_calendar_word(w)
        || matches!(
            w,
            "operation"
                | "operations"
                | "said"
                | "says"
                | "was"
                | "is"
                | "has"
                | "had"
                | "who"
                | "which"
                | "what"
        )
}

struct Ctx<'a> {
    m: &'a EntityMatcher,
    text: &'a str,
    seg: &'a Segmentation,
    /// Token -> index of the dictionary hit starting there (usize::MAX: none).
    hit_at: Vec<u32>,
    /// Token -> its folded form (looked up once; every pass reads them).
    folded: Vec<&'a str>,
    hits: &'a [Hit],
}

impl<'a> Ctx<'a> {
    /// The folded form of token `t` (as [`Segmentation::folded`]).
    fn fw(&self, t: usize) -> &'a str {
        self.folded[t]
    }

    fn orig(&self, t: usize) -> &str {
        self.seg.tokens[t].span.slice(self.text)
    }

    fn is_cap_word(&self, t: usize) -> bool {
        t < self.seg.tokens.len()
            && self.seg.tokens[t].kind == TokenKind::Word
            && self.orig(t).chars().next().is_some_and(char::is_uppercase)
            && !is_not_name(self.fw(t))
    }

    fn hit(&self, t: usize) -> Option<&Hit> {
        match self.hit_at.get(t) {
            Some(&h) if h != u32::MAX => self.hits.get(h as usize),
            _ => None,
        }
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        b < self.seg.tokens.len() && self.seg.tokens[a].sentence == self.seg.tokens[b].sentence
    }

    /// Name tokens from `t`: capitalized words (and initials "E."), none of
    /// which starts a dictionary hit; returns the last token.
    fn name_from(&self, t: usize, max: usize) -> Option<usize> {
        let mut last = None;
        let mut i = t;
        let mut words = 0;
        while words < max
            && self.is_cap_word(i)
            && self.hit(i).is_none()
            && self.same_sentence(t, i)
        {
            last = Some(i);
            words += 1;
            let n = self.seg.tokens.len();
            // An initial: "E." joins the name, and so do initials written
            // together ("V.K. Birdi": one token "V.K", then the stop).
            if (self.orig(i).chars().count() == 1 || is_initials(self.orig(i)))
                && i + 1 < n
                && self.orig(i + 1) == "."
                && self.is_cap_word(i + 2)
            {
                i += 2;
            } else if i + 3 < n
                && matches!(
                    self.orig(i + 1),
                    "al" | "el" | "ul" | "ud" | "ur" | "bin" | "ibn"
                )
                && self.fw(i + 2) == "-"
                && self.is_cap_word(i + 3)
                && self.seg.tokens[i + 2].span.end == self.seg.tokens[i + 3].span.start
            {
                // "Ayman al-Zawahiri", "Abdul Rahman al-Logari".
                last = Some(i + 3);
                words += 1;
                i += 4;
            } else {
                i += 1;
            }
        }
        last
    }

    fn span(&self, first: usize, last: usize) -> Span {
        Span::new(
            self.seg.tokens[first].span.start,
            self.seg.tokens[last].span.end,
        )
    }

    fn name_words(&self, first: usize, last: usize) -> usize {
        (first..=last)
            .filter(|&t| self.seg.tokens[t].kind == TokenKind::Word)
            .count()
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<Candidate>,
        etype: EntityType,
        first: usize,
        last: usize,
        rule: &str,
        attributes: BTreeMap<String, Json>,
    ) {
        let span = self.span(first, last);
        let name = span.slice(self.text).to_string();
        let s = slug(&name);
        if s.is_empty() {
            return;
        }
        let mut span = span;
        let n = last + 1;
        if n < self.seg.tokens.len()
            && self.seg.tokens[n].span.start == span.end
            && self.fw(n) == "'s"
        {
            span.end = self.seg.tokens[n].span.end;
        }
        out.push(Candidate {
            span,
            etype,
            id: format!("{}:{}", etype.id_prefix(), s),
            name,
            known: false,
            rule: format!("patterns/entities#{rule}"),
            priority: PRIO_PATTERN,
            attributes,
            demonym: false,
            blocker: false,
        });
    }
}

pub(super) fn find(
    m: &EntityMatcher,
    doc: &Document,
    seg: &Segmentation,
    hits: &[Hit],
    out: &mut Vec<Candidate>,
) {
    let mut hit_at = vec![u32::MAX; seg.tokens.len()];
    for (k, h) in hits.iter().enumerate() {
        hit_at[h.first] = k as u32;
    }
    let cx = Ctx {
        m,
        text: &doc.text,
        seg,
        hit_at,
        folded: (0..seg.tokens.len()).map(|t| seg.folded(t)).collect(),
        hits,
    };
    titles_and_roles(&cx, out);
    roles_and_honorifics(&cx, out);
    also_known_as(&cx, out);
    identified_as(&cx, out);
    appositives(&cx, out);
    bracketed_affiliations(&cx, out);
    group_members(&cx, out);
    groups(&cx, out);
    places(&cx, out);
}

/// "police identified them as Suleiman Shah, Jibran and Hamza Afghani",
/// "the attackers were named as X; Y; and Z": after "identified/named ...
/// as", every list item that starts with a capitalized name is a person,
/// even a single word, since the context says these are people. A demonym
/// inside such a name is a surname ("Hamza Afghani"), not the country. Items
/// are split by semicolons when the sentence has any (an item may then carry
/// its own commas: "X, also known as Y, a commander"), else by commas and
/// "and".
fn identified_as(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    for t in 0..n {
        if !matches!(cx.fw(t), "identified" | "named") {
            continue;
        }
        // "identified [them|the (three) attackers|him] as".
        let Some(as_at) = (t + 1..(t + 5).min(n)).find(|&i| cx.fw(i) == "as") else {
            continue;
        };
        if (t + 1..as_at).any(|i| seg.tokens[i].kind != TokenKind::Word || cx.is_cap_word(i)) {
            continue;
        }
        let sentence = seg.tokens[t].sentence;
        let end = (as_at + 1..n)
            .find(|&i| seg.tokens[i].sentence != sentence)
            .unwrap_or(n);
        let semicolons = (as_at + 1..end).any(|i| cx.fw(i) == ";");
        let mut i = as_at + 1;
        loop {
            while i < end && matches!(cx.fw(i), "and" | "," | ";") {
                i += 1;
            }
            if i >= end || !cx.is_cap_word(i) {
                break;
            }
            // The name: capitalized words, a demonym inside it included.
            let first = i;
            let mut last = i;
            let mut j = i;
            while j < end && last + 4 > j {
                // "Abdullah al-Mamun": the particle and the word after it
                // join the name (even a word that is also a city's name).
                if j > first
                    && j + 2 < end
                    && matches!(cx.orig(j), "al" | "el" | "ul" | "ud" | "ur" | "bin" | "ibn")
                    && cx.fw(j + 1) == "-"
                    && seg.tokens[j + 2].span.start == seg.tokens[j + 1].span.end
                    && cx.is_cap_word(j + 2)
                {
                    last = j + 2;
                    j += 3;
                    continue;
                }
                let demonym = cx
                    .hit(j)
                    .is_some_and(|h| h.kind == super::ClaimKind::Demonym && h.first == h.last);
                let surname = j > first
                    && demonym
                    && cx.orig(j).chars().next().is_some_and(char::is_uppercase);
                if !(surname || (cx.is_cap_word(j) && cx.hit(j).is_none())) {
                    break;
                }
                last = j;
                j += 1;
            }
            if cx.hit(first).is_none() {
                cx.push(
                    out,
                    EntityType::Person,
                    first,
                    last,
                    "identified-as",
                    BTreeMap::new(),
                );
            }
            // On to the next item.
            i = last + 1;
            if semicolons {
                while i < end && cx.fw(i) != ";" {
                    i += 1;
                }
            } else if i < end && !matches!(cx.fw(i), "," | "and") {
                break;
            }
        }
    }
}

/// "Interior Minister Mohsin Naqvi", "Commander General Michael Kurilla",
/// "Prime Minister of Pakistan X Y", "the operational commander of IS-K,
/// Mohammad Sharifullah".
fn titles_and_roles(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    for h in cx.hits {
        let Some(title) = cx.m.entry_is_title(h.entry) else {
            continue;
        };
        let capitalized = cx
            .orig(h.first)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let mut j = h.last + 1;
        // Further titles: "Commander General".
        while let Some(next) = cx.hit(j) {
            if cx.m.entry_is_title(next.entry).is_some() {
                j = next.last + 1;
            } else {
                break;
            }
        }
        if capitalized {
            // "Prime Minister of Pakistan Shehbaz Sharif".
            let mut of_what = None;
            if j < seg.tokens.len() && cx.fw(j) == "of" {
                if let Some(next) = cx.hit(j + 1) {
                    of_what = Some(next.entry);
                    j = next.last + 1;
                } else if cx.is_cap_word(j + 1) && cx.name_from(j + 1, 2).is_some() {
                    // "Secretary of State X": a title of its own, skip.
                    continue;
                }
            }
            // "Inspector General of Police (Kashmir) V.K. Birdi": a place or
            // body in brackets after the title says where it holds.
            // Only capitalized words or dictionary names may stand inside
            // ("(Central Kashmir)"); one name alone is the attribute.
            if j + 2 < seg.tokens.len() && cx.fw(j) == "(" {
                let mut k = j + 1;
                while k < (j + 6).min(seg.tokens.len()) && cx.fw(k) != ")" {
                    match cx.hit(k) {
                        Some(inner) => k = inner.last + 1,
                        None if cx.is_cap_word(k) => k += 1,
                        None => break,
                    }
                }
                if k < seg.tokens.len() && k > j + 1 && cx.fw(k) == ")" {
                    if let Some(inner) = cx
                        .hit(j + 1)
                        .filter(|h| h.last + 1 == k && cx.m.entry_is_title(h.entry).is_none())
                    {
                        of_what = of_what.or(Some(inner.entry));
                    }
                    j = k + 1;
                }
            }
            // "SSP Kupwara Ghulam Jeelani Wani", "DIG Bannu X Y", "IG CTD
            // X Y": a place or body between the title and the name says
            // where the office is.
            if of_what.is_none() {
                if let Some(at) = cx.hit(j).filter(|p| {
                    let k = skip_honorific(cx, p.last + 1);
                    matches!(
                        cx.m.entries[p.entry as usize].etype,
                        Some(EntityType::Place | EntityType::Organization)
                    ) && cx.name_from(k, 4).is_some_and(|l| cx.name_words(k, l) >= 2)
                        && cx.same_sentence(h.first, p.last + 1)
                }) {
                    of_what = Some(at.entry);
                    j = at.last + 1;
                }
            }
            // "Inspector General of Police Dr Usman Anwar": the honorific
            // is no part of the name.
            j = skip_honorific(cx, j);
            if !cx.same_sentence(h.first, j) {
                continue;
            }
            // "Naik Imran Khan": a low rank before a dictionary official's
            // name is a namesake (the resolver gives it an id of its own).
            if crate::resolve::is_low_rank(&title.name) {
                if let Some(p) = cx.hit(j).filter(|p| {
                    cx.m.entries[p.entry as usize].etype == Some(EntityType::Official)
                        && cx.same_sentence(h.first, p.last)
                }) {
                    let mut attrs = BTreeMap::new();
                    attrs.insert("title".into(), Json::String(title.name.clone()));
                    cx.push(out, EntityType::Official, j, p.last, "title-name", attrs);
                    continue;
                }
            }
            let Some(last) = cx.name_from(j, 4) else {
                continue;
            };
            if cx.name_words(j, last) < 2 {
                continue;
            }
            let mut attrs = BTreeMap::new();
            attrs.insert("title".into(), Json::String(title.name.clone()));
            if let Some(e) = of_what {
                let e = &cx.m.entries[e as usize];
                let key = match e.etype {
                    Some(EntityType::Place) => "country",
                    _ => "organization",
                };
                attrs.insert(key.into(), Json::String(e.id.clone()));
            }
            cx.push(out, EntityType::Official, j, last, "title-name", attrs);
        } else {
            // A role: "the (operational) commander of IS-K, Mohammad
            // Sharifullah", "a spokesman for the Interior Ministry, X".
            if j >= seg.tokens.len() || !matches!(cx.fw(j), "of" | "for") {
                continue;
            }
            let at = if j + 1 < seg.tokens.len() && cx.fw(j + 1) == "the" {
                j + 2
            } else {
                j + 1
            };
            let Some(of) = cx.hit(at) else { continue };
            let comma = of.last + 1;
            if comma >= seg.tokens.len() || cx.fw(comma) != "," {
                continue;
            }
            let Some(last) = cx.name_from(comma + 1, 4) else {
                continue;
            };
            if cx.name_words(comma + 1, last) < 2 || !cx.same_sentence(h.first, last) {
                continue;
            }
            // The role with its adjectives: back to "the"/"a"/"its".
            let mut role_start = h.first;
            for _ in 0..2 {
                if role_start == 0 {
                    break;
                }
                let p = role_start - 1;
                let f = cx.fw(p);
                if seg.tokens[p].kind != TokenKind::Word
                    || matches!(f, "the" | "a" | "an" | "its" | "their" | "his" | "her")
                    || cx.is_cap_word(p)
                {
                    break;
                }
                role_start = p;
            }
            let role = Span::new(
                seg.tokens[role_start].span.start,
                seg.tokens[h.last].span.end,
            )
            .slice(cx.text);
            let of_entry = &cx.m.entries[of.entry as usize];
            let mut attrs = BTreeMap::new();
            attrs.insert("role".into(), Json::String(role.to_string()));
            let etype = match of_entry.etype {
                Some(EntityType::Group) => {
                    attrs.insert("affiliation".into(), Json::String(of_entry.id.clone()));
                    EntityType::Person
                }
                Some(EntityType::Organization) => {
                    attrs.insert("organization".into(), Json::String(of_entry.id.clone()));
                    EntityType::Official
                }
                _ => {
                    attrs.insert("affiliation".into(), Json::String(of_entry.id.clone()));
                    EntityType::Person
                }
            };
            cx.push(out, etype, comma + 1, last, "role-name", attrs);
        }
    }
}

/// "Mohammad Sharifullah, also known as Jafar": a person and an alias.
fn also_known_as(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    for t in 2..n.saturating_sub(3) {
        // ", also known as Y", ", better known as Y" (Y is then the common
        // name and gives the id), ", alias Y".
        let (alias_at, better) = match cx.fw(t) {
            "also" | "better" if cx.fw(t + 1) == "known" && cx.fw(t + 2) == "as" => {
                (t + 3, cx.fw(t) == "better")
            }
            "alias" => (t + 1, false),
            _ => continue,
        };
        // The name before the comma: up to 4 capitalized words. Police
        // notes write "alias" without one ("Harvinder Singh alias Rinda").
        let end = if cx.fw(t - 1) == "," {
            t - 2
        } else if cx.fw(t) == "alias" && cx.is_cap_word(t - 1) && cx.is_cap_word(t + 1) {
            t - 1
        } else {
            continue;
        };
        let mut first = end;
        while first > 0
            && end - (first - 1) < 4
            && cx.is_cap_word(first - 1)
            && cx.hit(first - 1).is_none()
            && cx.same_sentence(first - 1, end)
        {
            first -= 1;
        }
        if !cx.is_cap_word(end) || cx.hit(first).is_some() || cx.name_words(first, end) < 2 {
            continue;
        }
        let Some(alias_last) = cx.name_from(alias_at, 3) else {
            continue;
        };
        let before = out.len();
        let (id_first, id_last, other_first, other_last) = if better {
            (alias_at, alias_last, first, end)
        } else {
            (first, end, alias_at, alias_last)
        };
        cx.push(
            out,
            EntityType::Person,
            id_first,
            id_last,
            "also-known-as",
            BTreeMap::new(),
        );
        if let Some(main) = out.get(before).cloned() {
            let span = cx.span(other_first, other_last);
            out.push(Candidate {
                span,
                rule: "patterns/entities#also-known-as-alias".into(),
                ..main
            });
        }
    }
}

/// Nouns for people that introduce a name: "a local man, Hakam Khan",
/// "accused Tahawwur Rana", "his childhood friend David Coleman Headley".
/// Initials written together, as one token: "V.K", "R.R" (single
/// capitals joined by stops; the last stop is a token of its own).
fn is_initials(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 3
        && b.iter().enumerate().all(|(k, &c)| {
            if k % 2 == 0 {
                c.is_ascii_uppercase()
            } else {
                c == b'.'
            }
        })
        && b.len() % 2 == 1
}

fn is_person_noun(w: &str) -> bool {
    matches!(
        w,
        "man"
            | "men"
            | "woman"
            | "women"
            | "businessman"
            | "friend"
            | "accused"
            | "suspect"
            | "suspects"
            | "cleric"
            | "resident"
            | "brother"
            | "brothers"
            | "son"
            | "father"
            | "named"
            | "nephew"
            | "driver"
            | "journalist"
            | "citizen"
            | "national"
            | "preacher"
            | "teacher"
            | "schoolteacher"
            | "student"
            | "shopkeeper"
            | "labourer"
            | "laborer"
            | "farmer"
            | "worker"
            | "trader"
            | "policeman"
            | "constable"
            | "soldier"
            | "lawyer"
            | "doctor"
            | "analyst"
            | "expert"
            | "researcher"
            | "scholar"
            | "commentator"
            | "activist"
            | "academic"
            | "economist"
            | "historian"
            | "author"
            | "writer"
            | "editor"
            | "reporter"
            | "correspondent"
    )
}

/// "a local man, Hakam Khan", "The two men, A B and C D", "Tahawwur
/// Hussain Rana, a Pakistani-born Canadian businessman".
fn appositives(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    for t in 0..n {
        let f = cx.fw(t);
        if is_person_noun(f) && !cx.is_cap_word(t) {
            let mut j = t + 1;
            if j < n && cx.fw(j) == "," {
                j += 1;
            }
            let Some(last) = cx.name_from(j, 4) else {
                continue;
            };
            if cx.name_words(j, last) < 2 {
                continue;
            }
            cx.push(
                out,
                EntityType::Person,
                j,
                last,
                "noun-name",
                BTreeMap::new(),
            );
            // "A B and C D".
            let k = last + 1;
            if k + 1 < n && cx.fw(k) == "and" {
                if let Some(l2) = cx.name_from(k + 1, 4) {
                    if cx.name_words(k + 1, l2) >= 2 {
                        cx.push(
                            out,
                            EntityType::Person,
                            k + 1,
                            l2,
                            "noun-name",
                            BTreeMap::new(),
                        );
                    }
                }
            }
            continue;
        }
        // "Name, a ... businessman", "the NIA arrested Name, a resident of
        // ...", "Name, who placed the bomb", "Name, 34, a driver": a name
        // (two words or more, none in the dictionary) described as a person
        // right after it.
        // Not an alias ("also known as X, who"), which also_known_as joins
        // to its person.
        if !cx.is_cap_word(t)
            || cx.hit(t).is_some()
            || (t > 0 && (cx.is_cap_word(t - 1) || matches!(cx.fw(t - 1), "as" | "alias" | "aka")))
        {
            continue;
        }
        let Some(last) = cx.name_from(t, 4) else {
            continue;
        };
        if cx.name_words(t, last) < 2 || last + 2 >= n || cx.fw(last + 1) != "," {
            continue;
        }
        let mut d = last + 2;
        // An age: "Name, 34, a driver".
        if seg.tokens[d].kind == TokenKind::Number && d + 2 < n && cx.fw(d + 1) == "," {
            d += 2;
        }
        let described = match cx.fw(d) {
            "who" | "whom" | "whose" => true,
            "a" | "an" => (d + 1..n.min(d + 8))
                .take_while(|&k| cx.fw(k) != "," && cx.same_sentence(t, k))
                .any(|k| is_person_noun(cx.fw(k)) || is_role(cx.fw(k))),
            _ => false,
        };
        if described {
            cx.push(
                out,
                EntityType::Person,
                t,
                last,
                "name-appositive",
                BTreeMap::new(),
            );
        }
    }
}

/// Briefing transcripts: "Question (Sidhant Sibal, WION)", "(Rezaul
/// Laskar, Hindustan Times)": a name and the body it speaks for, in
/// brackets, is a person with that affiliation.
fn bracketed_affiliations(cx: &Ctx, out: &mut Vec<Candidate>) {
    let n = cx.seg.tokens.len();
    for t in 0..n.saturating_sub(5) {
        if cx.fw(t) != "(" {
            continue;
        }
        let Some(last) = cx.name_from(t + 1, 4) else {
            continue;
        };
        if cx.name_words(t + 1, last) < 2 || last + 3 >= n || cx.fw(last + 1) != "," {
            continue;
        }
        let Some(org) = cx.hit(last + 2) else {
            continue;
        };
        let e = &cx.m.entries[org.entry as usize];
        if e.etype != Some(EntityType::Organization)
            || org.last + 1 >= n
            || cx.fw(org.last + 1) != ")"
        {
            continue;
        }
        let mut attrs = BTreeMap::new();
        attrs.insert("affiliation".into(), Json::String(e.id.clone()));
        cx.push(
            out,
            EntityType::Person,
            t + 1,
            last,
            "bracketed-affiliation",
            attrs,
        );
    }
}

/// Police statements: "two alleged members of the banned TTP, Asif Gul
/// and Zafar Iqbal, ...": the names listed right after "members/cadres/
/// commanders of (the banned) GROUP (ABBR)," are persons affiliated with
/// the group.
fn group_members(cx: &Ctx, out: &mut Vec<Candidate>) {
    let n = cx.seg.tokens.len();
    for h in cx.hits {
        let e = &cx.m.entries[h.entry as usize];
        if e.etype != Some(EntityType::Group) || h.first < 2 {
            continue;
        }
        // Back over "the banned" to "of", then the members' noun.
        let mut k = h.first - 1;
        while k > 0
            && matches!(
                cx.fw(k),
                "the" | "banned" | "proscribed" | "outlawed" | "defunct"
            )
        {
            k -= 1;
        }
        if k == 0
            || cx.fw(k) != "of"
            || !matches!(
                cx.fw(k - 1),
                "members"
                    | "member"
                    | "militants"
                    | "commanders"
                    | "operatives"
                    | "cadres"
                    | "activists"
            )
        {
            continue;
        }
        // Past the group: "(TTP)", then the comma.
        let mut j = h.last + 1;
        if j + 2 < n && cx.fw(j) == "(" && cx.fw(j + 2) == ")" {
            j += 3;
        }
        if j >= n || cx.fw(j) != "," {
            continue;
        }
        let mut at = j + 1;
        for _ in 0..4 {
            let Some(last) = cx.name_from(at, 4) else {
                break;
            };
            if cx.name_words(at, last) < 2 || !cx.same_sentence(h.first, last) {
                break;
            }
            let mut attrs = BTreeMap::new();
            attrs.insert("affiliation".into(), Json::String(e.id.clone()));
            cx.push(out, EntityType::Person, at, last, "group-members", attrs);
            let next = last + 1;
            if next + 1 < n && matches!(cx.fw(next), "and" | ",") {
                at = if cx.fw(next) == "," && cx.fw(next + 1) == "and" {
                    next + 2
                } else {
                    next + 1
                };
            } else {
                break;
            }
        }
    }
}

/// Role words that name a group's people ("al-Qaeda leader Ayman
/// al-Zawahiri", "its chief, Bashir Zeb").
fn is_role(w: &str) -> bool {
    matches!(
        w,
        "chief"
            | "leader"
            | "commander"
            | "founder"
            | "co-founder"
            | "spokesman"
            | "spokesperson"
            | "emir"
            | "amir"
            | "head"
            | "deputy"
            | "ideologue"
            | "mastermind"
            | "operative"
            | "militant"
    )
}

/// The token after an honorific at `j` ("Dr", "Dr.", "Shri"), else `j`.
fn skip_honorific(cx: &Ctx, j: usize) -> usize {
    let n = cx.seg.tokens.len();
    if j < n && is_honorific(cx.fw(j)) && cx.is_cap_word(j) {
        let k = j + 1;
        if k < n && cx.fw(k) == "." {
            return k + 1;
        }
        return k;
    }
    j
}

/// Honorifics before a person's name ("Dr. Steve Killelea", "Maulana
/// Fazlur Rehman").
fn is_honorific(w: &str) -> bool {
    matches!(
        w,
        "dr" | "mr"
            | "mrs"
            | "ms"
            | "shri"
            | "smt"
            | "mawlawi"
            | "maulvi"
            | "qari"
            | "maulana"
            | "mullah"
            | "sheikh"
            | "mufti"
            | "professor"
            | "prof"
    )
}

/// "al-Qaeda leader Ayman al-Zawahiri", "its chief, Bashir Zeb", "Dr. Steve
/// Killelea".
fn roles_and_honorifics(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    let mut last_group: Option<(usize, &str)> = None;
    for t in 0..n {
        if let Some(h) = cx.hit(t) {
            let e = &cx.m.entries[h.entry as usize];
            if e.etype == Some(EntityType::Group) {
                last_group = Some((seg.tokens[t].sentence, e.id.as_str()));
            }
        }
        let f = cx.fw(t);
        if is_honorific(f) && cx.is_cap_word(t) {
            let mut j = t + 1;
            if j < n && cx.fw(j) == "." {
                j += 1;
            }
            if let Some(last) = cx.name_from(j, 4) {
                if cx.name_words(j, last) >= 2 {
                    cx.push(
                        out,
                        EntityType::Person,
                        j,
                        last,
                        "honorific-name",
                        BTreeMap::new(),
                    );
                }
            }
            continue;
        }
        if !is_role(f) || cx.is_cap_word(t) || t == 0 {
            continue;
        }
        // What the role belongs to: a group right before, or "its"/"their".
        let prev = t - 1;
        let owner = if matches!(cx.fw(prev), "its" | "their") {
            Some(
                last_group
                    .filter(|(s, _)| seg.tokens[t].sentence.saturating_sub(*s) <= 3)
                    .map(|(_, id)| id.to_string()),
            )
        } else {
            // "Babbar Khalsa International (BKI) operative X": the group
            // may stand before its abbreviation in brackets.
            let at = if cx.fw(prev) == ")" && prev > 1 {
                prev - 1
            } else {
                prev
            };
            cx.hits
                .iter()
                .find(|h| h.last == at)
                .map(|h| &cx.m.entries[h.entry as usize])
                .filter(|e| e.etype == Some(EntityType::Group))
                .map(|e| Some(e.id.clone()))
        };
        let Some(owner) = owner else { continue };
        let mut j = t + 1;
        if j < n && cx.fw(j) == "," {
            j += 1;
        }
        let mut attrs = BTreeMap::new();
        attrs.insert(
            "role".into(),
            Json::String(seg.tokens[t].span.slice(cx.text).to_string()),
        );
        if let Some(g) = owner {
            attrs.insert("affiliation".into(), Json::String(g));
        }
        // A person the dictionary knows ("Its chief, Bashir Zeb"): the role
        // still belongs to them. The candidate repeats the dictionary hit's
        // span and id, loses the overlap to it, and resolve carries its
        // attributes over to the entity.
        if let Some(h) = cx.hit(j) {
            let e = &cx.m.entries[h.entry as usize];
            if matches!(e.etype, Some(EntityType::Person | EntityType::Official)) {
                out.push(Candidate {
                    span: h.span,
                    etype: EntityType::Person,
                    id: e.id.clone(),
                    name: e.name.clone(),
                    known: true,
                    rule: "patterns/entities#group-role-name".into(),
                    priority: PRIO_PATTERN,
                    attributes: attrs,
                    demonym: false,
                    blocker: false,
                });
            }
            continue;
        }
        let Some(last) = cx.name_from(j, 4) else {
            continue;
        };
        if cx.name_words(j, last) < 2 {
            continue;
        }
        cx.push(out, EntityType::Person, j, last, "group-role-name", attrs);
    }
}

/// "Lashkar-e-Jhangvi", "Jaish-ul-Adl", "... Liberation Army/Front",
/// "Islamic State Somalia".
fn groups(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    let mut t = 0;
    while t < n {
        // Hyphen connectors: Cap - e - Word.
        if cx.is_cap_word(t) && cx.hit(t).is_none() {
            let mut last = t;
            let mut k = t;
            let mut joined = false;
            while k + 4 < n
                && cx.fw(k + 1) == "-"
                && matches!(
                    cx.fw(k + 2),
                    "e" | "i" | "ul" | "al" | "ud" | "ut" | "us" | "ur" | "un" | "u"
                )
                && cx.fw(k + 3) == "-"
                && seg.tokens[k + 4].kind == TokenKind::Word
                && seg.tokens[k + 1].span.start == seg.tokens[k].span.end
                && seg.tokens[k + 4].span.start == seg.tokens[k + 3].span.end
            {
                joined = true;
                k += 4;
                last = k;
            }
            // Military operations share the naming pattern: "Operation
            // Zarb-e-Azb", "the Zarb-e-Azb offensive", "under Azm-e-Istehkam".
            let operation = (t > 0 && matches!(cx.fw(t - 1), "operation" | "under"))
                || (last + 1 < n
                    && matches!(
                        cx.fw(last + 1),
                        "offensive" | "operation" | "campaign" | "operations"
                    ));
            // "Ubaid-ur-Rehman Nizamani", "Zia-ul-Haq": a given name, not a
            // group; with a surname after it, a person.
            // "Shahrah-e-Faisal" (a highway), "Minar-e-Pakistan Park",
            // "Bab-e-Dosti Gate": places.
            let place = matches!(cx.fw(t), "shahrah" | "minar" | "bab")
                || (cx.is_cap_word(last + 1) && street_kind(cx.fw(last + 1)).is_some());
            if joined && place {
                t = last + 1;
                continue;
            }
            if joined && is_name_ending(cx.fw(last)) {
                if cx.is_cap_word(last + 1)
                    && cx.hit(last + 1).is_none()
                    && cx.same_sentence(t, last + 1)
                {
                    cx.push(
                        out,
                        EntityType::Person,
                        t,
                        last + 1,
                        "hyphenated-name",
                        BTreeMap::new(),
                    );
                }
                t = last + 1;
                continue;
            }
            if joined && !operation {
                // "Lashkar-e-Jhangvi Al-Alami": one more capitalized word.
                if cx.is_cap_word(last + 1)
                    && cx.hit(last + 1).is_none()
                    && cx.same_sentence(t, last + 1)
                {
                    last += 1;
                }
                cx.push(
                    out,
                    EntityType::Group,
                    t,
                    last,
                    "hyphenated-group",
                    kind("militant group"),
                );
                t = last + 1;
                continue;
            }
        }
        // "... Liberation Army/Front".
        if cx.fw(t) == "liberation"
            && t + 1 < n
            && matches!(cx.fw(t + 1), "army" | "front" | "tigers" | "movement")
            && cx.is_cap_word(t)
        {
            let mut first = t;
            for _ in 0..3 {
                if first > 0 && cx.is_cap_word(first - 1) && cx.same_sentence(first - 1, t) {
                    first -= 1;
                } else {
                    break;
                }
            }
            if first < t {
                cx.push(
                    out,
                    EntityType::Group,
                    first,
                    t + 1,
                    "liberation-group",
                    kind("militant group"),
                );
            }
            t += 2;
            continue;
        }
        // "Islamic State Somalia".
        if cx.fw(t) == "islamic"
            && t + 2 < n
            && cx.fw(t + 1) == "state"
            && cx.is_cap_word(t)
            && cx.is_cap_word(t + 2)
            && cx.same_sentence(t, t + 2)
        {
            let mut last = t + 2;
            if t + 3 < n && cx.fw(t + 3) == "province" {
                last = t + 3;
            }
            let mut attrs = kind("militant group");
            attrs.insert("parent".into(), Json::String("group:islamic-state".into()));
            cx.push(
                out,
                EntityType::Group,
                t,
                last,
                "islamic-state-branch",
                attrs,
            );
            t = last + 1;
            continue;
        }
        t += 1;
    }
}

/// Last parts of hyphenated given names ("Fazl-ur-Rehman", "Zia-ul-Haq",
/// "Shams-ud-Din"); group names end otherwise ("Jaish-ul-Adl").
fn is_name_ending(w: &str) -> bool {
    matches!(
        w,
        "rehman"
            | "rahman"
            | "haq"
            | "din"
            | "deen"
            | "rahim"
            | "rasheed"
            | "rashid"
            | "zaman"
            | "hassan"
            | "hasan"
            | "hussain"
            | "qadir"
            | "karim"
            | "aziz"
            | "ghani"
            | "salam"
            | "mulk"
    )
}

fn kind(k: &str) -> BTreeMap<String, Json> {
    let mut m = BTreeMap::new();
    m.insert("kind".to_string(), Json::String(k.to_string()));
    m
}

/// "in Turbat (Kech, Balochistan)", "Kech district", "the village of X",
/// "X province".
fn places(cx: &Ctx, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let n = seg.tokens.len();
    for t in 0..n {
        let f = cx.fw(t);
        // "X district", "X province", "X tehsil", "X valley".
        if matches!(
            f,
            "district" | "province" | "tehsil" | "valley" | "agency" | "village"
        ) && t > 0
        {
            let mut first = t;
            for _ in 0..2 {
                if first > 0
                    && cx.is_cap_word(first - 1)
                    && cx.hit(first - 1).is_none()
                    && cx.same_sentence(first - 1, t)
                {
                    first -= 1;
                } else {
                    break;
                }
            }
            // "Imphal East district" where only "Imphal" is known: "East"
            // alone names nothing.
            let directions_only = (first..t).all(|k| is_direction(cx.fw(k)));
            if first < t && !covered_by_hit(cx, first) && !directions_only {
                cx.push(
                    out,
                    EntityType::Place,
                    first,
                    t - 1,
                    "place-kind-after",
                    kind(f),
                );
            }
        }
        // "on Sariab Road", "near the Friendship Gate", "at Qissa Khwani
        // Bazaar", "the Borobekra police station": see street_place.
        if let Some(k) = street_kind(f) {
            street_place(cx, t, k, out);
        }
        // "the village of X", "district of X", "the town of X".
        if matches!(f, "village" | "town" | "district" | "city" | "tehsil")
            && t + 2 < n
            && cx.fw(t + 1) == "of"
        {
            if let Some(last) = cx.name_from(t + 2, 2) {
                cx.push(
                    out,
                    EntityType::Place,
                    t + 2,
                    last,
                    "place-kind-of",
                    kind(f),
                );
            }
        }
        // "in Turbat (Kech, Balochistan)".
        if f == "in" && t + 3 < n && cx.is_cap_word(t + 1) && cx.hit(t + 1).is_none() {
            let Some(last) = cx.name_from(t + 1, 2) else {
                continue;
            };
            let open = last + 1;
            if open >= n || cx.fw(open) != "(" {
                continue;
            }
            // Inside the parentheses: places or capitalized words, commas.
            let mut k = open + 1;
            let mut parent = None;
            let mut ok = false;
            while k < n && k < open + 12 {
                let fk = cx.fw(k);
                if fk == ")" {
                    ok = true;
                    break;
                }
                if let Some(h) = cx.hit(k) {
                    let e = &cx.m.entries[h.entry as usize];
                    if e.etype != Some(EntityType::Place) {
                        break;
                    }
                    parent.get_or_insert_with(|| e.id.clone());
                    k = h.last + 1;
                    continue;
                }
                if fk == "," || cx.is_cap_word(k) {
                    k += 1;
                    continue;
                }
                break;
            }
            if ok && parent.is_some() {
                let mut attrs = BTreeMap::new();
                if let Some(p) = parent {
                    attrs.insert("parent".into(), Json::String(p));
                }
                cx.push(
                    out,
                    EntityType::Place,
                    t + 1,
                    last,
                    "place-in-parens",
                    attrs,
                );
            }
        }
    }
}

fn is_direction(w: &str) -> bool {
    matches!(
        w,
        "east"
            | "west"
            | "north"
            | "south"
            | "central"
            | "upper"
            | "lower"
            | "northern"
            | "southern"
    )
}

/// The place kind a street or landmark word gives ("Road" -> road). Not
/// "Market" or "Square": "the Liberty Market" is what an attack targets,
/// which the fact patterns keep as text.
fn street_kind(w: &str) -> Option<&'static str> {
    Some(match w {
        "road" | "street" | "avenue" | "highway" | "bypass" => "road",
        "chowk" | "bazaar" | "bazar" | "mandi" => "locality",
        "gate" => "landmark",
        "park" => "park",
        "station" => "police station",
        _ => return None,
    })
}

/// Words that start no street name ("the Silk Road", "the High Street" are
/// no addresses a report locates an incident at).
fn is_street_stop(w: &str) -> bool {
    matches!(
        w,
        "silk" | "high" | "main" | "city" | "model" | "women" | "local" | "new" | "old" | "grand"
    )
}

/// A street, market or landmark the dictionaries do not list: one to three
/// capitalized words ending in the capitalized word at `t` ("Sariab Road",
/// "Qissa Khwani Bazaar", "Friendship Gate", "Indravati National Park"),
/// after a locative preposition ("on", "at", "near", "along"... with an
/// optional "the"), not followed by another capitalized word ("Road Map"),
/// with a known place in the same sentence or the one before, which becomes
/// its `parent`. "X police station" (either case) needs no preposition and
/// gives the locality X.
fn street_place(cx: &Ctx, t: usize, kind_name: &'static str, out: &mut Vec<Candidate>) {
    let seg = cx.seg;
    let station = kind_name == "police station";
    let key = if station {
        if t < 2 || cx.fw(t - 1) != "police" {
            return;
        }
        t - 1
    } else {
        if !cx.is_cap_word(t) || cx.hit(t).is_some() {
            return;
        }
        t
    };
    if cx.is_cap_word(t + 1) && cx.same_sentence(t, t + 1) {
        return;
    }
    let mut first = key;
    while first > 0
        && key - (first - 1) <= 3
        && cx.is_cap_word(first - 1)
        && cx.hit(first - 1).is_none()
        && cx.same_sentence(first - 1, t)
    {
        first -= 1;
    }
    // A road named after a town: "on Kohat Road", "at Majitha Road".
    if first == key && !station && first > 0 {
        let town = cx.hits.iter().find(|h| {
            h.last + 1 == first
                && cx.m.entries[h.entry as usize].etype == Some(EntityType::Place)
                && cx.is_cap_word(h.first)
        });
        if let Some(h) = town {
            first = h.first;
        }
    }
    if first == key || is_street_stop(cx.fw(first)) {
        return;
    }
    if cx.hit(first).is_none() && covered_by_hit(cx, first) {
        return;
    }
    if !station {
        let mut p = first;
        if p > 0 && cx.fw(p - 1) == "the" {
            p -= 1;
        }
        let locative = p > 0
            && matches!(
                cx.fw(p - 1),
                "on" | "at"
                    | "near"
                    | "along"
                    | "off"
                    | "outside"
                    | "inside"
                    | "opposite"
                    | "beside"
                    | "across"
                    | "via"
                    | "in"
                    | "from"
                    | "into"
            );
        if !locative {
            return;
        }
    }
    // A known place nearby: the same sentence or the one before.
    let sentence = seg.tokens[t].sentence;
    let parent = cx
        .hits
        .iter()
        .rev()
        .filter(|h| {
            let s = seg.tokens[h.first].sentence;
            s <= sentence && s + 1 >= sentence && (h.last < first || h.first > key)
        })
        .map(|h| &cx.m.entries[h.entry as usize])
        .find(|e| {
            e.etype == Some(EntityType::Place)
                && !matches!(
                    e.attributes.get("kind").and_then(|k| k.as_str()),
                    Some("country" | "region")
                )
        });
    // A road named after a known town is in its context.
    let parent = parent.or_else(|| {
        cx.hit(first)
            .map(|h| &cx.m.entries[h.entry as usize])
            .filter(|e| e.etype == Some(EntityType::Place))
    });
    let Some(parent) = parent else {
        return;
    };
    // "the Borobekra police station": the place is Borobekra.
    let (last, kind_name) = if station {
        (key - 1, "locality")
    } else {
        (key, kind_name)
    };
    let mut attrs = kind(kind_name);
    attrs.insert("parent".into(), Json::String(parent.id.clone()));
    cx.push(out, EntityType::Place, first, last, "street-place", attrs);
}

/// Whether token `t` lies inside a dictionary hit.
fn covered_by_hit(cx: &Ctx, t: usize) -> bool {
    let start = cx.seg.tokens[t].span.start;
    let i = cx.hits.partition_point(|h| h.span.start <= start);
    i > 0 && cx.hits[i - 1].span.end > start
}
