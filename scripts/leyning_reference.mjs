// Reference table for the weekly portion's aliyot, from @hebcal/leyning (BSD-2-Clause) and @hebcal/core.
//
// Run by scripts/cycle_reference.py --leyning (which installs the packages outside the repository);
// not a runtime dependency of madrega. Prints TSV on stdout, for every Shabbat from FIRST to LAST
// (argv[2], argv[3]) abroad and in Israel that reads a portion:
//   civil date, israel (0/1), portion, reading ('portion' for each portion by itself, 'combined' for
//   the public reading of a double week), aliyah (1-7), book, first verse, last verse
import {HDate} from '@hebcal/hdate';
import {getSedra} from '@hebcal/core';
import {getLeyningForParsha} from '@hebcal/leyning';

const [first, last] = process.argv.slice(2);

function iso(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function rows(day, il, name, kind, parsha) {
  const out = [];
  const aliyot = getLeyningForParsha(parsha).fullkriyah;
  for (let n = 1; n <= 7; n++) {
    const a = aliyot[String(n)];
    out.push([day, il ? 1 : 0, name, kind, n, a.k, a.b, a.e].join('\t'));
  }
  return out;
}

const out = [];
const end = new Date(last + 'T12:00:00');
for (let d = new Date(first + 'T12:00:00'); d <= end; d.setDate(d.getDate() + 1)) {
  if (d.getDay() !== 6) continue;
  const hd = new HDate(d);
  for (const il of [false, true]) {
    const sedra = getSedra(hd.getFullYear(), il).lookup(hd);
    if (sedra.chag) continue;
    for (const name of sedra.parsha) out.push(...rows(iso(d), il, name, 'portion', name));
    if (sedra.parsha.length > 1) out.push(...rows(iso(d), il, sedra.parsha.join('-'), 'combined', sedra.parsha));
  }
}
process.stdout.write(out.join('\n') + '\n');
