// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlockController} from "./framework/BlockController.sol";
import {ExitProcessor} from "./framework/ExitProcessor.sol";
import {IExitGame} from "./interfaces/IExitGame.sol";
import {IInFlightExitGame} from "./interfaces/IInFlightExitGame.sol";
import {IPlasmaFramework} from "./interfaces/IPlasmaFramework.sol";
import {IStandardExitGame} from "./interfaces/IStandardExitGame.sol";
import {TxLib} from "./lib/TxLib.sol";
import {TxSigLib} from "./lib/TxSigLib.sol";
import {InFlightExitGame} from "./exits/inflight/InFlightExitGame.sol";
import {Deposits} from "./vault/Deposits.sol";
import {Vault} from "./vault/Vault.sol";

/// @title RootChain
/// @notice The deployed contract of the Plasma chain, and the framework of its exit games:
///         blocks and the operator (BlockController), deposits (Deposits), the vault (Vault,
///         VaultLib) and the per-token exit queues (ExitProcessor). Exit rules live in
///         exit-game modules, fixed at deployment, that this contract DELEGATECALLs: the
///         functions of IStandardExitGame are routed to STANDARD_EXIT_GAME by `fallback`,
///         those of IInFlightExitGame to IN_FLIGHT_EXIT_GAME (start, piggybacks, views) and
///         IN_FLIGHT_EXIT_CHALLENGES (challenges, response), and `processExits` calls each
///         game's `processExit`. IRootChain is the whole ABI.
///         Transactions are signed with EIP-712 under the domain name "Plasma", version "1",
///         this chain and this contract. docs/SPEC.md is the byte-level specification;
///         docs/CONTRACTS.md explains the design.
contract RootChain is BlockController, Deposits, Vault, ExitProcessor {
    /// @notice Gas a deposit costs; the first congestion fee repays it at BOND_GAS_PRICE.
    uint256 public constant DEPOSIT_GAS = 60_000;
    /// @notice Game id of standard exits in queue keys.
    uint8 internal constant STANDARD_GAME_ID = 1;
    /// @notice Game id of in-flight exits in queue keys.
    uint8 internal constant IN_FLIGHT_GAME_ID = 2;

    /// @inheritdoc IPlasmaFramework
    address public immutable STANDARD_EXIT_GAME;
    /// @inheritdoc IPlasmaFramework
    address public immutable IN_FLIGHT_EXIT_GAME;
    /// @inheritdoc IPlasmaFramework
    address public immutable IN_FLIGHT_EXIT_CHALLENGES;

    /// @param operator_ The first operator.
    /// @param standardExitGame The StandardExitGame module (its exit period and bond gas
    ///        price are the chain's; it validated them when it was deployed).
    /// @param inFlightExitGame The InFlightExitGame module, with the same exit period and bond
    ///        gas price; it names its InFlightExitChallenges module (checked at its deployment).
    constructor(address operator_, address standardExitGame, address inFlightExitGame)
        BlockController(operator_)
        Deposits(DEPOSIT_GAS * _bondGasPrice(standardExitGame, inFlightExitGame))
    {
        STANDARD_EXIT_GAME = standardExitGame;
        IN_FLIGHT_EXIT_GAME = inFlightExitGame;
        IN_FLIGHT_EXIT_CHALLENGES = InFlightExitGame(inFlightExitGame).CHALLENGES();
    }

    /// @notice Routes the exit games' functions to their modules; anything else reverts.
    ///         `processExit` is never routed: only processExits reaches it.
    fallback() external payable {
        address game = _route(msg.sig);
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), game, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @notice Plain ETH transfers are refused: ETH enters through depositETH and bonds only.
    receive() external payable {
        revert RootChain_UnknownSelector(bytes4(0));
    }

    /// @inheritdoc IPlasmaFramework
    function txSigningHash(bytes calldata txBytes) external view returns (bytes32) {
        (, uint256 numInputs, uint256 numOutputs) = TxLib.validate(txBytes);
        return TxSigLib.typedDataHash(
            TxSigLib.domainSeparator(block.chainid, address(this)), TxSigLib.hashStruct(txBytes, numInputs, numOutputs)
        );
    }

    /// @notice The module serving a selector of the public ABI.
    function _route(bytes4 selector) private view returns (address) {
        // First: the call with the tightest gas budget (a 48k-gas whole transaction).
        if (selector == IInFlightExitGame.respondToNonCanonicalChallenge.selector) return IN_FLIGHT_EXIT_CHALLENGES;
        if (
            selector == IStandardExitGame.startStandardExit.selector
                || selector == IStandardExitGame.challengeStandardExit.selector
                || selector == IStandardExitGame.exitIdAt.selector || selector == IStandardExitGame.EXIT_BOND.selector
                || selector == IStandardExitGame.CHALLENGER_SHARE.selector
                || selector == IStandardExitGame.PROCESS_BOUNTY.selector
                || selector == IStandardExitGame.BOND_GAS_PRICE.selector
                || selector == IStandardExitGame.MIN_EXIT_PERIOD.selector
        ) return STANDARD_EXIT_GAME;
        if (
            selector == IInFlightExitGame.startInFlightExit.selector
                || selector == IInFlightExitGame.piggybackInFlightExitOnInput.selector
                || selector == IInFlightExitGame.piggybackInFlightExitOnOutput.selector
                || selector == IInFlightExitGame.inFlightExit.selector
                || selector == IInFlightExitGame.inFlightExitPiggyback.selector
                || selector == IInFlightExitGame.IFE_BOND.selector
                || selector == IInFlightExitGame.PIGGYBACK_BOND.selector
                || selector == IInFlightExitGame.CANONICITY_SHARE.selector
                || selector == IInFlightExitGame.SPENT_CHALLENGER_SHARE.selector
                || selector == IInFlightExitGame.IFE_PROCESS_BOUNTY.selector
        ) return IN_FLIGHT_EXIT_GAME;
        if (
            selector == IInFlightExitGame.challengeInFlightExitNotCanonical.selector
                || selector == IInFlightExitGame.challengeInFlightExitInputSpent.selector
                || selector == IInFlightExitGame.challengeInFlightExitOutputSpent.selector
        ) return IN_FLIGHT_EXIT_CHALLENGES;
        revert RootChain_UnknownSelector(selector);
    }

    function _exitGame(uint8 gameId) internal view override returns (address) {
        if (gameId == STANDARD_GAME_ID) return STANDARD_EXIT_GAME;
        if (gameId == IN_FLIGHT_GAME_ID) return IN_FLIGHT_EXIT_GAME;
        // Unreachable: only the games above enqueue, each with its own id.
        revert RootChain_BadExitGame(address(0));
    }

    /// @notice Checks the modules are a standard and an in-flight exit game with the same exit
    ///         period and bond gas price, and returns that price.
    function _bondGasPrice(address standardGame, address inFlightGame) private view returns (uint256 price) {
        if (_gameId(standardGame) != STANDARD_GAME_ID) revert RootChain_BadExitGame(standardGame);
        if (_gameId(inFlightGame) != IN_FLIGHT_GAME_ID) revert RootChain_BadExitGame(inFlightGame);
        price = IStandardExitGame(standardGame).BOND_GAS_PRICE();
        if (
            InFlightExitGame(inFlightGame).BOND_GAS_PRICE() != price
                || InFlightExitGame(inFlightGame).MIN_EXIT_PERIOD() != IStandardExitGame(standardGame).MIN_EXIT_PERIOD()
        ) revert RootChain_BadExitGame(inFlightGame);
    }

    /// @notice The game id a module reports, or 0 for anything that is not a module (no
    ///         code, no GAME_ID, a revert or a malformed answer).
    function _gameId(address game) private view returns (uint256 id) {
        if (game.code.length == 0) return 0;
        (bool ok, bytes memory ret) = game.staticcall(abi.encodeCall(IExitGame.GAME_ID, ()));
        if (ok && ret.length == 32) id = abi.decode(ret, (uint256));
    }
}
