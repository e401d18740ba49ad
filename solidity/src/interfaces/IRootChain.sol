// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPlasmaFramework} from "./IPlasmaFramework.sol";
import {IInFlightExitGame} from "./IInFlightExitGame.sol";
import {IStandardExitGame} from "./IStandardExitGame.sol";

/// @title IRootChain
/// @notice The whole ABI of a deployed RootChain: the framework's own functions and those of
///         the exit games it serves through DELEGATECALL. The byte formats behind every
///         argument are in docs/SPEC.md; the design in docs/CONTRACTS.md.
interface IRootChain is IPlasmaFramework, IStandardExitGame, IInFlightExitGame {}
