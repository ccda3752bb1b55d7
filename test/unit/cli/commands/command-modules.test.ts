import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules, productionCommands } from '../../../../sync/src/cli/commands/index.js';
import { createCliContext } from '../../../../sync/src/cli/context.js';

const namesOf = (registered: Awaited<ReturnType<typeof productionCommands>>) => {
  const program = new Command('tomtejakt');
  const context = createCliContext({ quiet: true });
  for (const register of registered) register(program, context);
  return program.commands.map((c) => c.name());
};

describe('productionCommands: a command is loaded only when it runs', () => {
  it('gives each named command alone, registered under its own name', async () => {
    for (const [name] of commandModules) {
      expect(namesOf(await productionCommands(['node', 'tomtejakt', '--quiet', name, '--help']))).toEqual([
        name,
      ]);
    }
  });

  it('gives every command, in the order --help lists them, when none or an unknown one is named', async () => {
    const all = commandModules.map(([name]) => name);
    expect(namesOf(await productionCommands(['node', 'tomtejakt', '--help']))).toEqual(all);
    expect(namesOf(await productionCommands(['node', 'tomtejakt', 'rnu']))).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(['start', 'run', 'analyse', 'owners', 'map-user']));
  });
});
