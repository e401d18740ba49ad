//! Keys for tests: anvil's well-known development accounts (funded on every anvil), and
//! fixed keys whose addresses stay the same in snapshots.

use alloy::primitives::B256;
use alloy::signers::local::PrivateKeySigner;

pub use plasma_client::chain::{DEV_KEYS, dev_signer};

/// The fixed key whose 32 bytes are all `n` (not funded on anvil).
pub fn fixed_key(n: u8) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&B256::repeat_byte(n)).expect("a valid key")
}

/// A key as the services take it on the command line or in the environment: `0x` + hex.
pub fn key_hex(signer: &PrivateKeySigner) -> String {
    format!("0x{}", alloy::hex::encode(signer.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_key_hex_round_trips() {
        assert_eq!(key_hex(&dev_signer(0)), DEV_KEYS[0]);
        assert_ne!(fixed_key(1).address(), fixed_key(2).address());
    }
}
