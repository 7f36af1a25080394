//! The layers the pipeline stages add to a document: entities, values, facts
//! and diagnostics. All positions are byte [`Span`]s into the original text;
//! [`crate::emit`] turns them into the `factsift/1` JSON.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use crate::span::Span;

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Group,
    Official,
    Person,
    Organization,
    Place,
}

impl EntityType {
    pub const ALL: [EntityType; 5] = [
        EntityType::Group,
        EntityType::Official,
        EntityType::Person,
        EntityType::Organization,
        EntityType::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Group => "group",
            EntityType::Official => "official",
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
        }
    }

    /// The prefix of this type's entity ids (`group:ttp`, `org:fatf`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            EntityType::Organization => "org",
            other => other.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub sentence: usize,
    /// The rule or dictionary entry that found it: `rules/groups.toml#ttp`.
    pub rule: String,
}

/// A resolved entity: every spelling and alias merged under one id.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// `group:ttp`, `place:pk`, `person:mohammad-sharifullah`.
    pub id: String,
    pub etype: EntityType,
    pub name: String,
    /// True when a dictionary lists it; false when found by pattern only.
    pub known: bool,
    pub attributes: BTreeMap<String, Json>,
    /// In text order.
    pub mentions: Vec<Mention>,
}

/// The TIMEX3 types and the numeric value types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    Date,
    Time,
    Duration,
    Set,
    Count,
    Quantity,
    Money,
    Percent,
}

impl ValueType {
    pub const ALL: [ValueType; 8] = [
        ValueType::Date,
        ValueType::Time,
        ValueType::Duration,
        ValueType::Set,
        ValueType::Count,
        ValueType::Quantity,
        ValueType::Money,
        ValueType::Percent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Date => "date",
            ValueType::Time => "time",
            ValueType::Duration => "duration",
            ValueType::Set => "set",
            ValueType::Count => "count",
            ValueType::Quantity => "quantity",
            ValueType::Money => "money",
            ValueType::Percent => "percent",
        }
    }

    pub fn parse(s: &str) -> Option<ValueType> {
        ValueType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            ValueType::Date | ValueType::Time | ValueType::Duration | ValueType::Set
        )
    }
}

/// How a number is hedged in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// almost, nearly, about, around, some, roughly
    Approx,
    /// more than, over, above
    MoreThan,
    /// at least
    AtLeast,
    /// less than, under, fewer than
    LessThan,
    /// up to, at most
    AtMost,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Approx => "approx",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::LessThan => "less_than",
            Qualifier::AtMost => "at_most",
        }
    }

    pub fn parse(s: &str) -> Option<Qualifier> {
        [
            Qualifier::Approx,
            Qualifier::MoreThan,
            Qualifier::AtLeast,
            Qualifier::LessThan,
            Qualifier::AtMost,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }
}

/// A typed, normalized value: a date, a count, an amount of money.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub span: Span,
    pub sentence: usize,
    pub vtype: ValueType,
    /// TIMEX3 value for temporal types (`"2025-06-19"`, `"P3Y"`), a number
    /// for the others.
    pub value: Json,
    /// `day`, `month`, `year`... for temporal values.
    pub grain: Option<String>,
    /// TIMEX3 `mod`: `START`, `MID`, `END`, `APPROX`, `BEFORE`, `AFTER`...
    pub modifier: Option<String>,
    pub qualifier: Option<Qualifier>,
    /// Range bounds ("between 40 and 50").
    pub min: Option<Json>,
    pub max: Option<Json>,
    /// The class of the counted noun (`attack`, `police`) or a quantity's unit.
    pub unit: Option<String>,
    /// The counted noun phrase as written.
    pub noun: Option<String>,
    /// ISO 4217 code for money.
    pub currency: Option<String>,
    /// Further fields (additive to the contract), emitted in key order.
    pub extra: BTreeMap<String, Json>,
    /// `rules/dates.toml#month-day-year`.
    pub rule: String,
}

impl Value {
    /// A value with only the required fields set.
    pub fn new(span: Span, vtype: ValueType, value: Json, rule: impl Into<String>) -> Value {
        Value {
            span,
            sentence: 0,
            vtype,
            value,
            grain: None,
            modifier: None,
            qualifier: None,
            min: None,
            max: None,
            unit: None,
            noun: None,
            currency: None,
            extra: BTreeMap::new(),
            rule: rule.into(),
        }
    }
}

/// A fact argument: an entity id, a value (by its index in
/// [`crate::Analysis::values`]), a string, or a list of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Entity(String),
    Value(usize),
    Text(String),
    List(Vec<Arg>),
}

/// A claim the text makes, with its evidence span and the rule that found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// `count`, `metric`, `meeting`, `attack`, `arrest`, `kill`, `training`,
    /// `statement`, `role`, `cooperation`.
    pub kind: String,
    pub span: Span,
    pub sentence: usize,
    pub rule: String,
    pub args: BTreeMap<String, Arg>,
}

/// Something a reviewer or researcher should look at: a capitalized name no
/// rule placed, an ambiguous match.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// `unknown_name`, ...
    pub kind: String,
    pub span: Span,
    pub message: Option<String>,
}
