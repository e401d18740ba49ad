// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IRootChain} from "./interfaces/IRootChain.sol";
import {BlockController} from "./framework/BlockController.sol";
import {Deposits} from "./vault/Deposits.sol";
import {Payouts} from "./vault/Payouts.sol";
import {StandardExitGame} from "./exits/StandardExitGame.sol";
import {TxLib} from "./lib/TxLib.sol";
import {TxSigLib} from "./lib/TxSigLib.sol";

/// @title RootChain
/// @notice The one deployed contract of the Plasma chain: block commitments and the
///         operator (BlockController), deposits (Deposits), payouts (Payouts) and standard
///         exits (StandardExitGame). Transactions are signed with EIP-712 under the domain
///         name "Plasma", version "1", this chain and this contract. docs/SPEC.md is the
///         byte-level specification; docs/CONTRACTS.md explains the design.
/// @dev BlockController comes first in the inheritance list so its packed head is slot 0.
contract RootChain is BlockController, Deposits, StandardExitGame, EIP712 {
    /// @param operator_ The first operator.
    /// @param minExitPeriod MIN_EXIT_PERIOD in seconds (a week on mainnet).
    /// @param exitBond EXIT_BOND in wei.
    /// @param processBounty PROCESS_BOUNTY in wei, at most `exitBond`.
    constructor(address operator_, uint256 minExitPeriod, uint256 exitBond, uint256 processBounty)
        BlockController(operator_)
        StandardExitGame(minExitPeriod, exitBond, processBounty)
        EIP712("Plasma", "1")
    {}

    /// @inheritdoc IRootChain
    function txSigningHash(bytes calldata txBytes) external view returns (bytes32) {
        (, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        return _hashTypedDataV4(TxSigLib.hashStruct(txBytes, numInputs, numOutputs));
    }

    function _txDigest(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }
}
