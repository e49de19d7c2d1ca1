// Dashboard text in Finnish (the default) and English. Page-specific strings live beside the
// page's routes; these are the ones every page shares. Numbers, dates and group names come
// from the report's formatters (src/report/i18n.ts) so the dashboard and the report agree.
import type { Lang } from '../report/i18n.ts';

export type { Lang };

export const LANGS: readonly Lang[] = ['fi', 'en'];

export const COMMON = {
  fi: {
    appName: 'Mediamittari',
    overview: 'Yleiskuva',
    articles: 'Jutut',
    weekly: 'Viikkokatsaus',
    feeds: 'Syötteet',
    queues: 'Jonot',
    agreement: 'Luotettavuus',
    login: 'Kirjaudu',
    logout: 'Kirjaudu ulos',
    username: 'Käyttäjätunnus',
    password: 'Salasana',
    loginFailed: 'Väärä käyttäjätunnus tai salasana.',
    loginRequired: 'Kirjaudu sisään jatkaaksesi.',
    loggedInAs: (name: string, role: string) => `${name} (${role})`,
    anonymous: 'Ei kirjautunut (vain luku)',
    roles: { viewer: 'katselija', analyst: 'analyytikko', operator: 'ylläpitäjä' } as Record<string, string>,
    forbidden: 'Sinulla ei ole oikeutta tähän toimintoon.',
    csrfFailed: 'Lomakkeen tarkiste puuttui tai oli vanhentunut. Lataa sivu uudelleen ja yritä uudestaan.',
    notFound: 'Sivua ei löytynyt.',
    serverError: 'Palvelimella tapahtui virhe.',
    language: 'In English',
    skip: 'Siirry sisältöön',
  },
  en: {
    appName: 'Mediamittari',
    overview: 'Overview',
    articles: 'Articles',
    weekly: 'Weekly summary',
    feeds: 'Feeds',
    queues: 'Queues',
    agreement: 'Agreement',
    login: 'Log in',
    logout: 'Log out',
    username: 'User name',
    password: 'Password',
    loginFailed: 'Wrong user name or password.',
    loginRequired: 'Log in to continue.',
    loggedInAs: (name: string, role: string) => `${name} (${role})`,
    anonymous: 'Not logged in (read only)',
    roles: { viewer: 'viewer', analyst: 'analyst', operator: 'operator' } as Record<string, string>,
    forbidden: 'You are not allowed to do this.',
    csrfFailed: 'The form check was missing or stale. Reload the page and try again.',
    notFound: 'Page not found.',
    serverError: 'Something went wrong on the server.',
    language: 'Suomeksi',
    skip: 'Skip to content',
  },
} as const;

export type CommonStrings = (typeof COMMON)[Lang];

export function isLang(s: unknown): s is Lang {
  return s === 'fi' || s === 'en';
}
