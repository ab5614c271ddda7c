import type { Hook } from '@oclif/core';
import { commandTree } from '../cli/command-tree.js';
import { unknownCommand } from '../cli/unknown-command.js';

/** `safedock rnu`, `safedock presets lst`: docker's message, with the command meant. */
const hook: Hook<'command_not_found'> = function ({ id, config }) {
  return Promise.reject(unknownCommand(id.split(':'), commandTree(config.commands)));
};

export default hook;
