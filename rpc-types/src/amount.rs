//! Serde for amounts: written as a decimal string; read from a decimal string, a `0x` hex
//! string or a JSON number.

use alloy::primitives::U256;
use serde::{Deserialize, Deserializer, Serializer, de::Error};

/// Writes a decimal string.
pub fn serialize<S: Serializer>(value: &U256, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_string())
}

/// Reads a decimal string, a hex string or a number.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => match s.strip_prefix("0x") {
            Some(hex) => U256::from_str_radix(hex, 16),
            None => U256::from_str_radix(&s, 10),
        }
        .map_err(D::Error::custom),
        serde_json::Value::Number(n) => n
            .as_u64()
            .map(U256::from)
            .ok_or_else(|| D::Error::custom(format!("amount {n} is not an unsigned integer"))),
        other => Err(D::Error::custom(format!(
            "expected an amount, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use alloy::primitives::U256;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Wrap(#[serde(with = "super")] U256);

    #[test]
    fn amounts_parse_in_every_form_and_write_decimal() {
        for text in [r#""1000""#, r#""0x3e8""#, "1000"] {
            let Wrap(amount) = serde_json::from_str(text).unwrap();
            assert_eq!(amount, U256::from(1000));
            assert_eq!(serde_json::to_string(&Wrap(amount)).unwrap(), r#""1000""#);
        }
        assert!(serde_json::from_str::<Wrap>("-1").is_err());
        assert!(serde_json::from_str::<Wrap>("true").is_err());
    }
}
