// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IExitGameErrors} from "../interfaces/IExitGameErrors.sol";
import {commitment} from "../framework/BlockController.sol";
import {PlasmaStorage} from "../framework/PlasmaStorage.sol";
import {MerkleLib} from "../lib/MerkleLib.sol";
import {TxSigLib} from "../lib/TxSigLib.sol";

/// @title ExitGameBase
/// @notice What every exit-game module shares (a game's module also implements IExitGame): the rule that it runs only through a
///         RootChain's DELEGATECALL (so `address(this)` is the root chain and storage is the
///         framework's), the chain's exit period and bond gas price, fixed at deployment, and
///         the checks of inclusion and signatures against the framework's state.
abstract contract ExitGameBase is IExitGameErrors, ReentrancyGuardTransient {
    /// @notice The shortest accepted minimum exit period, in seconds: below it no watcher
    ///         can see an exit and answer it in time even on a devnet. Production periods are
    ///         days (a week on mainnet).
    uint256 public constant MIN_EXIT_PERIOD_FLOOR = 10;
    /// @notice The longest accepted minimum exit period (about 136 years; exit times fit 40 bits).
    uint256 public constant MAX_EXIT_PERIOD = type(uint32).max;

    /// @notice The minimum exit period, in seconds.
    uint256 internal immutable _minExitPeriod;
    /// @notice The gas price at which bonds repay challenge and processing gas, in wei.
    uint256 internal immutable _bondGasPrice;

    address private immutable SELF;

    /// @notice Refuses a call that is not a DELEGATECALL from a RootChain.
    modifier onlyDelegateCall() {
        _onlyDelegateCall();
        _;
    }

    /// @param minExitPeriod the minimum exit period in seconds, within [MIN_EXIT_PERIOD_FLOOR, MAX_EXIT_PERIOD].
    /// @param bondGasPrice The bond gas price in wei, non-zero.
    constructor(uint256 minExitPeriod, uint256 bondGasPrice) {
        if (minExitPeriod < MIN_EXIT_PERIOD_FLOOR || minExitPeriod > MAX_EXIT_PERIOD) {
            revert RootChain_BadExitPeriod(minExitPeriod);
        }
        if (bondGasPrice == 0) revert RootChain_ZeroBondGasPrice();
        _minExitPeriod = minExitPeriod;
        _bondGasPrice = bondGasPrice;
        SELF = address(this);
    }

    function _onlyDelegateCall() private view {
        if (address(this) == SELF) revert RootChain_NotDelegateCall();
    }

    /// @notice The framework's storage (this code runs in the RootChain's context).
    function _framework() internal pure returns (PlasmaStorage.Layout storage) {
        return PlasmaStorage.layout();
    }

    /// @notice Whether `txBytes` sits at `txIndex` of block `blknum` committed with
    ///         `blockTimestamp`; false also for a block never committed.
    function _isIncluded(
        uint256 blknum,
        uint256 txIndex,
        bytes calldata txBytes,
        bytes calldata proof,
        uint256 blockTimestamp
    ) internal view returns (bool) {
        // Lessons 1 and 2: the index is bounded and the leaf is salted apart from nodes.
        return _isLeafIncluded(blknum, txIndex, MerkleLib.leafHashCalldata(txBytes), proof, blockTimestamp);
    }

    /// @notice `_isIncluded` for a leaf hash already computed (keccak256(0x00 ‖ txBytes)).
    function _isLeafIncluded(
        uint256 blknum,
        uint256 txIndex,
        bytes32 leaf,
        bytes calldata proof,
        uint256 blockTimestamp
    ) internal view returns (bool) {
        return commitment(MerkleLib.computeRoot(leaf, txIndex, proof), blockTimestamp) == _framework().blocks[blknum];
    }

    /// @notice The EIP-712 digest of a transaction struct hash under the root chain's domain.
    function _txDigest(bytes32 structHash) internal view returns (bytes32) {
        return TxSigLib.typedDataHash(TxSigLib.domainSeparator(block.chainid, address(this)), structHash);
    }
}
