// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";

/// @title Modules
/// @notice Deploys the in-flight exit game's two modules for tests that build a RootChain.
///         From the build artifacts (`vm.deployCode`), not with `new`: embedding both
///         modules' creation code in every test contract exhausts the solcjs heap.
library Modules {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice A new InFlightExitGame (with its InFlightExitChallenges) for these parameters.
    function inFlight(uint256 minExitPeriod, uint256 bondGasPrice) internal returns (address) {
        address challenges =
            VM.deployCode("InFlightExitChallenges.sol:InFlightExitChallenges", abi.encode(minExitPeriod, bondGasPrice));
        return
            VM.deployCode("InFlightExitGame.sol:InFlightExitGame", abi.encode(minExitPeriod, bondGasPrice, challenges));
    }
}
