// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ExitQueueLib} from "../lib/ExitQueueLib.sol";

/// @title PlasmaStorage
/// @notice The framework's state, in one ERC-7201 namespace shared by the RootChain and the
///         exit-game modules it DELEGATECALLs. Every piece of state the games share with the
///         framework is here, and only here: blocks, per-token exit queues, the record of
///         exits per output, and the vault's liabilities. A game keeps its own state in a
///         namespace of its own.
/// @custom:storage-location erc7201:plasma.framework
library PlasmaStorage {
    /// @notice The packed head of the chain: one slot read and written by submitBlock and
    ///         by every deposit.
    struct Head {
        address operator;
        uint64 nextChildBlock;
        uint16 depositCounter; // next deposit block is nextChildBlock - 1000 + depositCounter
    }

    /// @custom:storage-location erc7201:plasma.framework
    struct Layout {
        Head head;
        address pendingOperator;
        /// @notice keccak256(abi.encode(root, timestamp)) per block number.
        mapping(uint256 blknum => bytes32 commitment) blocks;
        /// @notice Exit priority queues, one per token (address(0) is ETH).
        mapping(address token => ExitQueueLib.Queue) queues;
        /// @notice The exit record of each output, by output id (OutputLib): the one place
        ///         every exit game checks and marks, so an output is paid at most once.
        mapping(bytes32 outputId => uint256 record) outputs;
        /// @notice Amounts that do not fit a record's 88-bit amount field (OutputLib).
        mapping(bytes32 outputId => uint256 amount) bigAmounts;
        /// @notice Funds owed from failed payouts, per token: never available to exits.
        mapping(address token => uint256 amount) reserved;
        /// @notice Failed payouts, claimable with `withdraw`; per token they sum to `reserved`.
        mapping(address account => mapping(address token => uint256 amount)) withdrawable;
        /// @notice ETH bonds of exits not yet challenged or processed: never available to exits.
        uint256 bondsHeld;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("plasma.framework")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0xd1774316eb40867a21a117970b2833483ca17a0b797b0e24168ad2e2b5ebc700;

    /// @notice The framework's storage.
    function layout() internal pure returns (Layout storage l) {
        bytes32 slot = SLOT;
        assembly ("memory-safe") {
            l.slot := slot
        }
    }
}
