//! Normalize: typed values. Temporal expressions become TIMEX3 values;
//! numbers, counts, quantities, money and percents become numbers with their
//! qualifier, unit and noun.

pub mod numbers;
pub mod temporal;
