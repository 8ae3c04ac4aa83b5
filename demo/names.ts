import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'amber',
  'brisk',
  'calm',
  'dapper',
  'eager',
  'fuzzy',
  'gentle',
  'hazel',
  'icy',
  'jolly',
  'keen',
  'lucky',
  'merry',
  'nimble',
  'olive',
  'plucky',
  'quiet',
  'rosy',
  'sunny',
  'tidy',
  'umber',
  'vivid',
  'witty',
  'zesty',
];
const ANIMALS = [
  'otter',
  'heron',
  'lynx',
  'panda',
  'gecko',
  'koala',
  'marten',
  'newt',
  'okapi',
  'puffin',
  'quokka',
  'raven',
  'stoat',
  'tapir',
  'vole',
  'wombat',
  'yak',
  'zebra',
  'badger',
  'crane',
  'dingo',
  'egret',
  'ferret',
  'ibis',
];

/** A friendly name no open page has. */
export function pickName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
    const name = attempt < 20 ? base : `${base}-${attempt}`;
    if (!taken(name)) return name;
  }
}
