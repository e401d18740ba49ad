//! The deployment file (`deployment.json`, docs/SPEC.md) that `plasma deploy` writes and
//! the operator, the indexer and the CLI read.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, U256};
use serde::{Deserialize, Serialize};

/// Errors reading or writing a deployment file.
#[derive(Debug, thiserror::Error)]
pub enum DeploymentError {
    /// The file could not be read or written.
    #[error("deployment file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid deployment document.
    #[error("deployment file {path} is malformed: {source}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
}

/// A RootChain deployment, exactly the JSON shape of docs/SPEC.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Chain id of the root chain.
    pub chain_id: u64,
    /// Address of the RootChain contract.
    pub root_chain: Address,
    /// Address of the StandardExitGame module the RootChain DELEGATECALLs.
    pub standard_exit_game: Address,
    /// Address of the InFlightExitGame module the RootChain DELEGATECALLs.
    pub in_flight_exit_game: Address,
    /// Address of the InFlightExitChallenges module the RootChain DELEGATECALLs.
    pub in_flight_exit_challenges: Address,
    /// Block in which the contract was deployed (followers start there).
    pub deploy_block: u64,
    /// The operator allowed to submit blocks.
    pub operator: Address,
    /// The minimum exit period in seconds.
    pub min_exit_period: u64,
    /// The gas price at which bonds repay challenge and processing gas, in wei.
    #[serde(with = "decimal")]
    pub bond_gas_price: U256,
    /// The standard-exit bond in wei (a decimal string in JSON).
    #[serde(with = "decimal")]
    pub exit_bond: U256,
    /// The processing bounty in wei (a decimal string in JSON).
    #[serde(with = "decimal")]
    pub process_bounty: U256,
}

impl Deployment {
    /// Reads a deployment file.
    pub fn read(path: &Path) -> Result<Self, DeploymentError> {
        let text = std::fs::read_to_string(path).map_err(|source| DeploymentError::Io {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| DeploymentError::Malformed {
            path: path.to_owned(),
            source,
        })
    }

    /// Writes the deployment file (pretty JSON with a trailing newline), creating the parent
    /// directory if needed.
    pub fn write(&self, path: &Path) -> Result<(), DeploymentError> {
        let io = |source| DeploymentError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("a deployment always serializes");
        text.push('\n');
        std::fs::write(path, text).map_err(io)
    }
}

/// Serde for a `U256` as a decimal string.
mod decimal {
    use alloy::primitives::U256;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(super) fn serialize<S: Serializer>(value: &U256, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
        let text = String::deserialize(d)?;
        U256::from_str_radix(&text, 10).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::address;

    #[test]
    fn spec_example_round_trips() {
        let text = r#"{ "chainId": 31337, "rootChain": "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            "standardExitGame": "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
            "inFlightExitGame": "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
            "inFlightExitChallenges": "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9",
            "deployBlock": 1, "operator": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            "minExitPeriod": 60, "bondGasPrice": "500000000000",
            "exitBond": "100000000000000000", "processBounty": "30000000000000000" }"#;
        let d: Deployment = serde_json::from_str(text).unwrap();
        assert_eq!(
            d.root_chain,
            address!("5fbdb2315678afecb367f032d93f642f64180aa3")
        );
        assert_eq!(d.exit_bond, U256::from(100_000_000_000_000_000u64));
        let back: serde_json::Value = serde_json::to_value(&d).unwrap();
        assert_eq!(back["exitBond"], "100000000000000000");
        assert_eq!(back["processBounty"], "30000000000000000");
        assert_eq!(back["bondGasPrice"], "500000000000");
        assert_eq!(back["minExitPeriod"], 60);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/deployment.json");
        d.write(&path).unwrap();
        assert_eq!(Deployment::read(&path).unwrap(), d);
    }

    #[test]
    fn malformed_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deployment.json");
        std::fs::write(&path, r#"{"chainId": 1}"#).unwrap();
        let err = Deployment::read(&path).unwrap_err().to_string();
        assert!(err.contains("deployment.json is malformed"), "{err}");
    }
}
