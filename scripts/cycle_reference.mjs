// Reference tables for the daily study cycles, computed by @hebcal/learning and @hebcal/core.
//
// Run by scripts/cycle_reference.py (which installs the packages outside the repository and records
// their versions); not a runtime dependency of madrega. Prints TSV on stdout:
//   civil date, cycle, israel (0/1), Sefaria address from the event's url() (or ""), raw result (JSON)
// for every day from FIRST to LAST (ISO civil dates, argv[2] and argv[3]).
import {HDate} from '@hebcal/hdate';
import {DailyLearning, getSedra} from '@hebcal/core';
import * as learning from '@hebcal/learning';

const [first, last] = process.argv.slice(2);
const CALENDARS = [
  'dafYomi', 'dafWeekly', 'dirshuAmudYomi', 'mishnaYomi', 'perekYomi', 'nachYomi', 'tanakhYomi', '929',
  'psalms', 'yerushalmi-vilna', 'yerushalmi-schottenstein', 'rambam1', 'rambam3', 'seferHaMitzvot',
  'chofetzChaim', 'shemiratHaLashon', 'kitzurShulchanAruch', 'arukhHaShulchanYomi', 'pirkeiAvotSummer',
];
const BY_ISRAEL = new Set(['tanakhYomi', 'pirkeiAvotSummer']);

// The base function behind each calendar, whose plain result names the reading without rendering.
const RAW = {
  dafYomi: (hd) => { const d = new learning.DafYomi(hd); return {name: d.getName(), blatt: d.getBlatt()}; },
  dafWeekly: (hd) => { const d = learning.dafWeekly(hd); return {name: d.getName(), blatt: d.getBlatt()}; },
  dirshuAmudYomi: (hd) => learning.calculateDirshuAmud(hd),
  mishnaYomi: (hd) => new learning.MishnaYomiIndex().lookup(hd),
  perekYomi: (hd) => learning.perekYomi(hd),
  nachYomi: (hd) => new learning.NachYomiIndex().lookup(hd),
  '929': (hd) => learning.calculate929(hd),
  psalms: (hd) => learning.dailyPsalms(hd),
  'yerushalmi-vilna': (hd) => learning.yerushalmiYomi(hd, learning.vilna),
  'yerushalmi-schottenstein': (hd) => learning.yerushalmiYomi(hd, learning.schottenstein),
  rambam1: (hd) => learning.dailyRambam1(hd),
  rambam3: (hd) => learning.dailyRambam3(hd),
  seferHaMitzvot: (hd) => learning.seferHaMitzvot(hd),
  chofetzChaim: (hd) => learning.chofetzChaim(hd),
  shemiratHaLashon: (hd) => learning.shemiratHaLashon(hd),
  kitzurShulchanAruch: (hd) => learning.kitzurShulchanAruch(hd),
  arukhHaShulchanYomi: (hd) => learning.arukhHaShulchanYomi(hd),
  pirkeiAvotSummer: (hd, il) => learning.pirkeiAvot(hd, il),
};

function address(ev) {
  const url = ev && typeof ev.url === 'function' ? ev.url() : undefined;
  if (!url || !url.startsWith('https://www.sefaria.org/')) return '';
  return decodeURIComponent(url.slice('https://www.sefaria.org/'.length).split('?')[0]);
}

function iso(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const out = [];
const start = new Date(first + 'T12:00:00');
const end = new Date(last + 'T12:00:00');
const nachIndex = new learning.NachYomiIndex();
const mishnaIndex = new learning.MishnaYomiIndex();
RAW.nachYomi = (hd) => nachIndex.lookup(hd);
RAW.mishnaYomi = (hd) => mishnaIndex.lookup(hd);
for (let d = new Date(start); d <= end; d.setDate(d.getDate() + 1)) {
  const hd = new HDate(d);
  const day = iso(d);
  for (const name of CALENDARS) {
    for (const il of BY_ISRAEL.has(name) ? [false, true] : [false]) {
      const ev = DailyLearning.lookup(name, hd, il);
      let raw = null;
      if (RAW[name]) {
        try { raw = RAW[name](hd, il) ?? null; } catch (e) { raw = {error: String(e.message)}; }
      } else if (ev) {
        raw = {render: ev.render('en')};
      }
      if (!ev && raw === null) continue;
      const text = ev ? ev.render('en') : '';
      out.push([day, name, il ? 1 : 0, address(ev), text, JSON.stringify(raw)].join('\t'));
    }
  }
  // The weekly portion as @hebcal/core reads it on the Shabbat ending this week (diaspora and Israel).
  if (d.getDay() === 6) {
    for (const il of [false, true]) {
      const sedra = getSedra(hd.getFullYear(), il).lookup(hd);
      out.push([day, 'parsha', il ? 1 : 0, '', sedra.chag ? '' : sedra.parsha.join('-'),
        JSON.stringify({parsha: sedra.parsha, chag: sedra.chag})].join('\t'));
    }
  }
}
process.stdout.write(out.join('\n') + '\n');
