import { expect, test } from 'bun:test';
import { imitatesStaff } from './staff-names.ts';

test('names that read as staff, through case, accents, look-alikes, leetspeak and separators', () => {
  const disguises = [
    'admin',
    'ADMIN',
    'Administrator',
    '4dm1n',
    '@dmin',
    'аdmin',
    'ａｄｍｉｎ',
    '𝐚𝐝𝐦𝐢𝐧',
    'ádmín',
    'adrnin',
    'A D M I N',
    'a.d.m.i.n',
    'ad\u200bmin',
    'admin_bob',
    'admin2024',
    'TheRealAdmin',
    'the_real_admin',
    'Moderator Mike',
    'm0d',
    'MODS',
    'staff',
    'ＳＴＡＦＦ',
    'Lumen Support',
    'LumenSupport',
    'lumensupportteam',
    '5upp0rt',
    'Lumen',
    'Iumen',
    'L U M E N',
    'official',
    '0ff1c1al',
    'system',
    'SYSTEM',
    'sysop',
  ];
  for (const name of disguises) expect([name, imitatesStaff(name)]).toEqual([name, true]);
});

test('ordinary names, including ones that contain a staff word inside another word, pass', () => {
  const ordinary = [
    'Night Owl',
    'Luna Reyes',
    'luna_sings',
    'Badminton Bea',
    'Modern Mo',
    'Supporter',
    'Systematic',
    'Helpful Hannah',
    'Team Rocket',
    'Flagstaff Hiker',
    'Sam from Trust & Safety',
    'Ji-woo Park',
    'DJ Kairo',
    'user_1234_5',
    'Ana Costa',
  ];
  for (const name of ordinary) expect([name, imitatesStaff(name)]).toEqual([name, false]);
});
