//! One spelling per value: the parsers both services use for path and query parameters,
//! so that a block, a position, an address or a hash has exactly one URL.
//!
//! - numbers are plain decimal: ASCII digits only, no sign, no leading zero (except `0`);
//! - addresses and hashes are `0x` followed by exactly 40 or 64 hex digits (either case).

use alloy::primitives::{Address, B256, FixedBytes};

use crate::position::{CHILD_BLOCK_INTERVAL, MAX_CHILD_BLOCK};

/// The largest block number that can exist: the last deposit block after
/// [`MAX_CHILD_BLOCK`].
pub const MAX_BLKNUM: u64 = MAX_CHILD_BLOCK + CHILD_BLOCK_INTERVAL - 1;

/// A `u64` in its one decimal spelling, or `None`.
pub fn decimal(raw: &str) -> Option<u64> {
    let canonical = !raw.is_empty()
        && raw.bytes().all(|b| b.is_ascii_digit())
        && (raw == "0" || !raw.starts_with('0'));
    canonical.then(|| raw.parse().ok()).flatten()
}

/// A block number (decimal, at most [`MAX_BLKNUM`], so `blknum + 1` never overflows).
pub fn blknum(raw: &str) -> Option<u64> {
    decimal(raw).filter(|n| *n <= MAX_BLKNUM)
}

/// `0x` + exactly `2 * N` hex digits.
fn fixed<const N: usize>(raw: &str) -> Option<FixedBytes<N>> {
    let hex = raw.strip_prefix("0x")?;
    (hex.len() == 2 * N && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.parse().ok())
        .flatten()
}

/// A `0x`-prefixed 20-byte address (any letter case; a checksum is not required).
pub fn address(raw: &str) -> Option<Address> {
    fixed::<20>(raw).map(Address::from)
}

/// A `0x`-prefixed 32-byte hash.
pub fn hash(raw: &str) -> Option<B256> {
    fixed::<32>(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("1000"), Some(1000));
        assert_eq!(decimal("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+1000",
            "-1",
            "0001000",
            "00",
            "1e3",
            " 1",
            "1_000",
            "0x10",
            "18446744073709551616",
        ] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
        assert_eq!(blknum("1000"), Some(1000));
        assert_eq!(blknum(&MAX_BLKNUM.to_string()), Some(MAX_BLKNUM));
        assert_eq!(blknum(&(MAX_BLKNUM + 1).to_string()), None);
        assert_eq!(blknum("18446744073709551615"), None);
    }

    #[test]
    fn addresses_and_hashes_need_0x_and_their_exact_length() {
        let lower = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
        let a = address(lower).unwrap();
        assert_eq!(
            address("0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
            Some(a)
        );
        assert_eq!(
            address(&lower.to_uppercase().replacen("0X", "0x", 1)),
            Some(a)
        );
        for bad in [
            &lower[2..],
            "0x90f79bf6eb2c4f870365e785982e1f101e93b9",
            "0X90f79bf6eb2c4f870365e785982e1f101e93b906",
            "0x90f79bf6eb2c4f870365e785982e1f101e93b9zz",
            " 0x90f79bf6eb2c4f870365e785982e1f101e93b906",
        ] {
            assert_eq!(address(bad), None, "{bad:?}");
        }
        let h = format!("0x{}", "ab".repeat(32));
        assert_eq!(hash(&h), Some(B256::repeat_byte(0xab)));
        assert_eq!(hash(&h[2..]), None);
        assert_eq!(hash(&h[..65]), None);
    }
}
