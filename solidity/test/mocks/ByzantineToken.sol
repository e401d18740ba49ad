// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {IRootChain} from "../../src/interfaces/IRootChain.sol";

/// @title ByzantineToken
/// @notice A token the byzantine operator controls: deposits (transferFrom) always work, and
///         `transfer` behaves as the current mode says, so one token can turn every hostile
///         behaviour on the root chain's payouts of it in turn. Its balanceOf is truthful.
contract ByzantineToken is ERC20 {
    /// @notice What `transfer` does.
    enum Mode {
        Plain, // an ordinary transfer
        ReturnFalse, // returns false, moves nothing
        Revert, // reverts
        BurnGas, // burns all the gas it gets
        ReturnBomb, // returns 200 kB of data
        Reenter // tries processExits and withdraw on the root chain, then transfers
    }

    /// @notice The current mode.
    Mode public mode;
    /// @notice The root chain to re-enter.
    IRootChain public immutable rootChain;
    /// @notice Set when a re-entry from `transfer` went through (it never should).
    bool public reentered;
    /// @notice Counter written in the gas-burning loop.
    uint256 public sink;

    /// @notice The Revert mode's error.
    error ByzantineToken_Refused();

    constructor(IRootChain rootChain_) ERC20("Byzantine", "BYZ") {
        rootChain = rootChain_;
    }

    /// @notice Mints test tokens.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the mode.
    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @inheritdoc ERC20
    function transfer(address to, uint256 value) public override returns (bool) {
        Mode m = mode;
        if (m == Mode.ReturnFalse) return false;
        if (m == Mode.Revert) revert ByzantineToken_Refused();
        if (m == Mode.BurnGas) {
            while (true) {
                ++sink;
            }
        }
        if (m == Mode.ReturnBomb) {
            assembly {
                return(0, 200000)
            }
        }
        if (m == Mode.Reenter) {
            try rootChain.processExits(address(0), 1) {
                reentered = true;
            } catch {}
            try rootChain.withdraw(address(this)) {
                reentered = true;
            } catch {}
        }
        return super.transfer(to, value);
    }
}
