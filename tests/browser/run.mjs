// Real-browser tests: Debian's Chromium driven by playwright-core against the real `encommun demo` server.
// - every page type is audited with axe-core (WCAG 2.0/2.1 A and AA, best practices): zero violations;
// - the main flows are done by keyboard only, and again with JavaScript disabled;
// - screenshots of key pages at desktop and mobile widths are written to ENCOMMUN_ARTEFACTS.
// Run through `cargo test` (tests/browser.rs), which passes ENCOMMUN_BIN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { chromium } from 'playwright-core';
import axe from 'axe-core';

const BIN = process.env.ENCOMMUN_BIN;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTEFACTS = process.env.ENCOMMUN_ARTEFACTS || path.resolve('artefacts');
const PASSWORD = 'encommun-demo-2026';
const ADMIN = 'agence@demo.encommun.fr';
const REFERENT = 'referente@agglopolys.demo.encommun.fr';
const PROVIDER = 'prestataire@demo.encommun.fr';
const CHATELLERAULT = 'agent@grand-chatellerault.demo.encommun.fr';
const OBSERVER = 'elu@grand-cahors.demo.encommun.fr';
const OPERATOR = 'operateur@caf-vienne.demo.encommun.fr';
const XLSFORM = process.env.ENCOMMUN_XLSFORM || path.resolve(import.meta.dirname, '../../../shared/data/questionnaires/xlsform-civil-society-survey-de.xlsx');
const TOWN_HALLS = process.env.ENCOMMUN_TOWN_HALLS || path.resolve(import.meta.dirname, '../../../shared/data/places/mairies-6-departements.csv');
const EPCI_OUTLINES = process.env.ENCOMMUN_EPCI_OUTLINES || path.resolve(import.meta.dirname, '../../../shared/data/boundaries/epci-6-departements-dissolved.geojson');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let server;
let base;
let dataDir;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth() {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`encommun did not answer on ${base}/healthz`);
}

before(async () => {
  assert.ok(BIN, 'ENCOMMUN_BIN must name the encommun binary');
  dataDir = mkdtempSync(path.join(tmpdir(), 'encommun-browser-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['demo'], {
    env: { ...process.env, ENCOMMUN_DATA_DIR: dataDir, ENCOMMUN_LISTEN: `127.0.0.1:${port}`, ENCOMMUN_BASE_URL: base, RUST_LOG: 'warn', ENCOMMUN_DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth();
  mkdirSync(ARTEFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh context (its own cookies), logged in as `email` when given. */
async function session({ email, javaScript = true, viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport, locale: 'fr-FR' });
  const page = await context.newPage();
  if (email) await logIn(page, email);
  return { context, page };
}

async function logIn(page, email, password = PASSWORD) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${base}/`);
}

/** The newest e-mail to `to`, transfer-decoded, and the first link in it containing `fragment`. */
function linkFromMail(to, fragment) {
  const dir = path.join(dataDir, 'mail');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const file of files) {
    const raw = readFileSync(file, 'utf8');
    if (!raw.toLowerCase().includes(`to: ${to}`)) continue;
    const decoded = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    const link = decoded.split(/[\s"<>]+/).find((w) => w.startsWith('http') && w.includes(fragment));
    if (link) return new URL(link).pathname;
  }
  throw new Error(`no e-mail to ${to} with a link containing ${fragment}`);
}

// A link of a digest, signed as the server signs it (mail::links; the session key in the data folder).
function signedLink(purpose, prefix, id) {
  const session = Buffer.from(readFileSync(path.join(dataDir, 'session.key'), 'utf8').trim(), 'hex');
  const linkKey = createHmac('sha256', session).update('encommun : liens signés').digest('hex');
  const signature = createHmac('sha256', Buffer.from(linkKey)).update(`${purpose}:${id}`).digest('hex');
  return `${prefix}/${id}/${signature}`;
}

async function audit(page) {
  await page.evaluate(axe.source);
  return page.evaluate((tags) => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
}

// Every page type, in the state a person sees it. Add new pages here: the audit lists what it checked.
const PAGES = [
  { name: 'accueil', path: '/' },
  { name: 'connexion', path: '/connexion' },
  {
    name: 'connexion-erreur',
    path: '/connexion',
    act: async (page) => {
      await page.getByLabel('Adresse électronique').fill('personne@exemple.fr');
      await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'mot-de-passe-oublie', path: '/mot-de-passe-oublie' },
  {
    name: 'mot-de-passe-oublie-envoye',
    path: '/mot-de-passe-oublie',
    act: async (page) => {
      await page.getByLabel('Adresse électronique').fill(PROVIDER);
      await page.getByRole('button', { name: 'Recevoir le lien' }).click();
      await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
    },
  },
  { name: 'nouveau-mot-de-passe', path: () => linkFromMail(PROVIDER, '/mot-de-passe/nouveau/') },
  { name: 'lien-expire', path: '/mot-de-passe/nouveau/inexistant', status: 410 },
  { name: 'collectivites', path: '/collectivites' },
  { name: 'recherche', path: '/collectivites?q=chatellerault' },
  { name: 'recherche-vide', path: '/collectivites?q=xyzzy' },
  { name: 'territoire', path: '/territoires/epci/248600413' },
  { name: 'accessibilite', path: '/accessibilite' },
  { name: 'mentions-legales', path: '/mentions-legales' },
  { name: 'donnees-personnelles', path: '/donnees-personnelles' },
  { name: 'page-introuvable', path: '/nulle-part', status: 404 },
  { name: 'compte', as: ADMIN, path: '/compte' },
  {
    name: 'compte-erreurs',
    as: ADMIN,
    path: '/compte',
    act: async (page) => {
      await page.getByLabel('Mot de passe actuel').fill('faux');
      await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'administration', as: ADMIN, path: '/admin' },
  { name: 'territoire-gestion', as: ADMIN, path: '/territoires/epci/246800726' },
  {
    name: 'invitation-erreurs',
    as: ADMIN,
    path: '/territoires/epci/246800726',
    act: async (page) => {
      await page.getByLabel('Adresse électronique').fill('pas une adresse');
      await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'invitation',
    path: async () => {
      const { context, page } = await session({ email: ADMIN });
      await page.goto(`${base}/territoires/epci/200071827`);
      await page.getByLabel('Adresse électronique').fill('nouvelle@angouleme.example');
      await page.getByLabel('Élu·e').check();
      await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await page.getByText('Invitation envoyée').waitFor();
      await context.close();
      return linkFromMail('nouvelle@angouleme.example', '/invitation/');
    },
  },
  { name: 'acces-refuse', as: PROVIDER, path: '/admin', status: 403 },
  { name: 'themes', path: '/themes' },
  { name: 'ma-collectivite', as: REFERENT, path: '/ma-collectivite' },
  { name: 'themes-filtres', path: '/themes?statut=open&region=75&type=epci' },
  { name: 'themes-a-examiner', as: ADMIN, path: '/themes?statut=proposed' },
  { name: 'theme-proposition', as: REFERENT, path: '/themes/nouveau' },
  {
    name: 'theme-proposition-erreurs',
    as: REFERENT,
    path: '/themes/nouveau',
    act: async (page) => {
      await page.getByRole('button', { name: 'Proposer le thème' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'theme', as: REFERENT, path: () => openTheme('Habiter les centres-bourgs') },
  { name: 'theme-moderation', as: ADMIN, path: () => openTheme('Économie circulaire') },
  {
    name: 'theme-positionnement-erreurs',
    as: REFERENT,
    path: () => openTheme('Jeunesse et engagement'),
    act: async (page) => {
      await page.getByRole('button', { name: 'Se positionner' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'projets', path: '/projets' },
  { name: 'projet', path: '/projets/1' },
  { name: 'projet-referent', as: CHATELLERAULT, path: '/projets/1' },
  { name: 'projet-participante', as: REFERENT, path: '/projets/1' },
  { name: 'projet-pilotage', as: ADMIN, path: '/projets/1' },
  {
    name: 'projet-inscription-erreurs',
    as: CHATELLERAULT,
    path: '/projets/1',
    act: async (page) => {
      await page.getByRole('button', { name: /comme participante/ }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'projet-phase-refusee',
    as: ADMIN,
    path: '/projets/1',
    act: async (page) => {
      await page.getByLabel('Note de passage (publique)').fill('Clôture des inscriptions.');
      await page.getByRole('button', { name: 'Changer de phase' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'projet-ouverture', as: ADMIN, path: async () => `/projets/nouveau?theme=${(await openTheme('Santé et accès aux soins')).split('/').pop()}` },
  {
    name: 'projet-ouverture-formulaire',
    as: ADMIN,
    path: async () => `/projets/nouveau?theme=${(await openTheme('Habitat des centres-bourgs')).split('/').pop()}`,
    act: async (page) => {
      await page.getByLabel(/Fabriques Prospectives/).check();
      await page.getByRole('button', { name: 'Continuer avec ce programme' }).click();
      await page.getByRole('heading', { name: 'Ouvrir un projet partagé', exact: true }).waitFor();
    },
  },
  { name: 'programmes', as: ADMIN, path: '/admin/programmes' },
  { name: 'programme', as: ADMIN, path: '/admin/programmes/2' },
  { name: 'programme-nouveau', as: ADMIN, path: '/admin/programmes/nouveau?depuis=3' },
  { name: 'programme-modifier', as: ADMIN, path: '/admin/programmes/4/modifier' },
  {
    name: 'programme-erreurs',
    as: ADMIN,
    path: '/admin/programmes/4/modifier',
    act: async (page) => {
      await page.getByLabel('Semaine du rendez-vous 1', { exact: true }).fill('99');
      await page.getByLabel('Adoption des plans d’action').fill('');
      await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'rendez-vous-a-confirmer', as: ADMIN, path: '/projets/1/evenements/1/modifier' },
  { name: 'comite-de-pilotage', as: ADMIN, path: '/projets/2/comite' },
  { name: 'retours-d-experience', path: '/retours-d-experience' },
  { name: 'retour-d-experience', path: '/retours-d-experience/1' },
  { name: 'retour-d-experience-ancien', path: '/retours-d-experience/2' },
  { name: 'retour-d-experience-a-relire', as: ADMIN, path: '/retours-d-experience/3' },
  { name: 'retour-d-experience-proposer', as: REFERENT, path: '/retours-d-experience/nouveau' },
  {
    name: 'retour-d-experience-erreurs',
    as: REFERENT,
    path: '/retours-d-experience/nouveau',
    act: async (page) => {
      await page.getByRole('button', { name: 'Proposer' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'retour-d-experience-corriger', as: PROVIDER, path: '/retours-d-experience/1/modifier' },
  { name: 'api-documentation', path: '/api' },
  { name: 'donnees-ouvertes', path: '/donnees-ouvertes' },
  { name: 'recherche', path: '/recherche' },
  { name: 'recherche-resultats', path: '/recherche?q=chatellerault' },
  { name: 'annuaire', path: '/annuaire?territoire=86' },
  { name: 'annuaire-fiche', path: '/annuaire/1' },
  { name: 'annuaire-a-relire', as: ADMIN, path: '/annuaire/3' },
  { name: 'annuaire-proposer', as: REFERENT, path: '/annuaire/nouveau' },
  { name: 'annuaire-import', as: PROVIDER, path: '/annuaire/import' },
  {
    name: 'annuaire-import-colonnes',
    as: PROVIDER,
    path: '/annuaire/import',
    act: async (page) => {
      const csv = 'Structure;Nature;Départements;Missions\nTrame;Association;Vienne;Anime des enquêtes conduites par des habitants.\n';
      await page.getByLabel('Fichier CSV').setInputFiles({ name: 'reseau.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Envoyer et choisir les colonnes' }).click();
      await page.getByRole('heading', { name: /^Colonnes du fichier/ }).waitFor();
    },
  },
  {
    name: 'annuaire-erreurs',
    as: PROVIDER,
    path: '/annuaire/nouveau',
    act: async (page) => {
      await page.getByLabel('SIRET').fill('13002603200009');
      await page.getByRole('button', { name: 'Ajouter' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'comite-de-pilotage-erreurs',
    as: ADMIN,
    path: '/projets/2/comite',
    act: async (page) => {
      await page.getByRole('button', { name: 'Ajouter et inviter' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'rendez-vous-nouveau', as: ADMIN, path: '/projets/1/evenements/nouveau' },
  {
    name: 'rendez-vous-erreurs',
    as: ADMIN,
    path: '/projets/1/evenements/nouveau',
    act: async (page) => {
      await page.getByRole('button', { name: 'Planifier' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'rendez-vous', as: REFERENT, path: '/projets/1/evenements/1' },
  { name: 'actualite', path: '/projets/1/actualites/1' },
  { name: 'groupe-enquete', as: REFERENT, path: '/projets/1/groupes/1' },
  {
    name: 'groupe-enquete-erreurs',
    as: REFERENT,
    path: '/projets/1/groupes/1',
    act: async (page) => {
      await page.getByRole('button', { name: 'Ajouter au groupe' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'questionnaire-constructeur', as: ADMIN, path: () => questionnaire() },
  { name: 'questionnaire-apercu', as: ADMIN, path: async () => `${await questionnaire()}/apercu` },
  { name: 'questionnaire-resultats', as: REFERENT, path: async () => `${await questionnaire()}/resultats?recherche=bus` },
  { name: 'questionnaire-saisie', as: REFERENT, path: async () => `${await questionnaire()}/saisie` },
  {
    name: 'questionnaire-saisie-erreurs',
    as: REFERENT,
    path: async () => `${await questionnaire()}/saisie`,
    act: async (page) => {
      await page.getByLabel('Votre âge').fill('200');
      await page.getByRole('button', { name: 'Enregistrer et saisir la suivante' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'questionnaire-question-erreurs',
    as: ADMIN,
    path: () => questionnaire(),
    act: async (page) => {
      await page.getByRole('button', { name: 'Ajouter la question' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'questionnaire-couverture', as: REFERENT, path: async () => `${await questionnaire()}/couverture` },
  { name: 'questionnaire-comparaison', as: REFERENT, path: async () => `${await questionnaire()}/comparaison` },
  { name: 'questionnaire-invitations', as: ADMIN, path: async () => `${await questionnaire()}/invitations` },
  {
    name: 'questionnaire-modification',
    as: ADMIN,
    path: () => questionnaire(),
    act: async (page) => {
      await page.getByRole('link', { name: 'Modifier la question 1', exact: true }).click();
      await page.getByRole('heading', { name: /^Modifier/ }).waitFor();
    },
  },
  {
    name: 'questionnaire-import',
    as: ADMIN,
    path: '/projets/1/groupes/1',
    act: async (page) => {
      await page.getByLabel('Fichier XLSForm').setInputFiles(XLSFORM);
      await page.getByRole('button', { name: 'Importer' }).click();
      await page.getByRole('heading', { name: /^Questionnaire importé/ }).waitFor();
    },
  },
  { name: 'contours', as: ADMIN, path: '/admin/contours' },
  { name: 'courriels', as: ADMIN, path: '/admin/courriels' },
  { name: 'abonnements', as: REFERENT, path: '/abonnements' },
  // The pages opened from a digest's links, without logging in (subscriber 1: the demo's referent, subscribed when
  // Agglopolys enrolled).
  { name: 'desabonnement', path: () => signedLink('desabonnement', '/desabonnement', 1) },
  { name: 'abonnements-lien', path: () => signedLink('abonnements', '/abonnements/gerer', 1) },
  { name: 'suivre-projet', path: '/projets/1/suivre' },
  { name: 'suivre-themes', as: REFERENT, path: '/themes/suivre' },
  {
    name: 'suivre-projet-erreur',
    path: '/projets/1/suivre',
    act: async (page) => {
      await page.getByLabel('Votre adresse électronique').fill('pas-une-adresse');
      await page.getByRole('button', { name: 'Suivre par courriel' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'lettres', as: ADMIN, path: '/projets/1/lettres' },
  { name: 'lettre-nouvelle', as: ADMIN, path: '/projets/1/lettres/nouvelle' },
  {
    name: 'lettre-erreurs',
    as: ADMIN,
    path: '/projets/1/lettres/nouvelle',
    act: async (page) => {
      await page.getByLabel('Les membres des collectivités participantes').uncheck();
      await page.getByLabel('Les membres des collectivités observatrices').uncheck();
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'lettre-apercu',
    as: ADMIN,
    path: '/projets/1/lettres/nouvelle',
    act: async (page) => {
      await page.getByLabel('Titre de la lettre').fill('Lettre n° 1');
      await page.getByLabel('Édito').fill('Bonjour à toutes et à tous : **premier** numéro.');
      await page.getByLabel('À suivre').fill('- Séminaire le 4 février\n- Restitution en mars');
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
      await page.getByRole('button', { name: /^Envoyer à/ }).waitFor();
    },
  },
  {
    name: 'suivre-theme-envoye',
    path: '/themes/1/suivre',
    act: async (page) => {
      await page.getByLabel('Votre adresse électronique').fill('curieuse@exemple.fr');
      await page.getByRole('button', { name: 'Suivre par courriel' }).click();
      await page.getByText('Presque fini').waitFor();
    },
  },
  {
    name: 'contours-import',
    as: ADMIN,
    path: '/admin/contours',
    act: async (page) => {
      await page.getByLabel('Fichier GeoJSON').setInputFiles(EPCI_OUTLINES);
      await page.getByRole('button', { name: 'Importer les contours' }).click();
      await page.getByRole('status').waitFor();
    },
  },
  // After that import, Agglopolys's group page shows its map.
  { name: 'groupe-enquete-carte', as: REFERENT, path: '/projets/1/groupes/1' },
  // The diagnostic: Grand Angoulême's (the demo's), then Agglopolys's once a file is imported into it.
  { name: 'diagnostic', as: ADMIN, path: '/projets/1/diagnostic' },
  { name: 'diagnostic-territoire', as: ADMIN, path: '/projets/1/diagnostic/5' },
  {
    name: 'diagnostic-carte-interactive',
    as: ADMIN,
    path: '/projets/1/diagnostic/5',
    act: async (page) => {
      await page.getByRole('button', { name: 'Ouvrir la carte interactive (fond OpenStreetMap)' }).click();
      await page.getByText('4 fiche(s) sur la carte interactive.').waitFor();
      assert.equal(await page.locator('.interactive-map path.leaflet-interactive').count(), 4, 'a marker per located sheet');
    },
  },
  { name: 'diagnostic-territoire-filtre', as: REFERENT, path: '/projets/1/diagnostic/5?type=actor&domaine=thematic' },
  { name: 'diagnostic-fiche', as: ADMIN, path: '/projets/1/diagnostic/5/fiches/3' },
  { name: 'diagnostic-source', as: REFERENT, path: '/projets/1/diagnostic/5/sources/2' },
  { name: 'diagnostic-source-nouvelle', as: ADMIN, path: '/projets/1/diagnostic/5/sources/nouvelle' },
  { name: 'diagnostic-fiche-nouvelle', as: REFERENT, path: '/projets/1/diagnostic/1/fiches/nouvelle?type=espace' },
  {
    name: 'diagnostic-fiche-erreurs',
    as: REFERENT,
    path: '/projets/1/diagnostic/1/fiches/nouvelle?type=acteur',
    act: async (page) => {
      await page.getByLabel('Latitude').fill('nord');
      await page.getByRole('button', { name: 'Ajouter la fiche' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'diagnostic-moderation', as: ADMIN, path: '/projets/1/diagnostic/moderation' },
  { name: 'diagnostic-import', as: ADMIN, path: '/projets/1/diagnostic/1/import' },
  {
    name: 'diagnostic-import-colonnes',
    as: ADMIN,
    path: '/projets/1/diagnostic/1/import',
    act: async (page) => {
      await page.getByLabel('Fichier CSV ou GeoJSON').setInputFiles(TOWN_HALLS);
      await page.getByRole('button', { name: 'Envoyer et choisir les colonnes' }).click();
      await page.getByRole('heading', { name: /^Colonnes du fichier/ }).waitFor();
      await page.getByLabel('Type des lignes sans colonne qui le dise').selectOption({ label: 'Mairie' });
      await page.getByRole('button', { name: 'Importer' }).click();
      await page.getByText(/^Import terminé/).waitFor();
    },
  },
  { name: 'diagnostic-territoire-carte', as: REFERENT, path: '/projets/1/diagnostic/1' },
  { name: 'questionnaire-public', path: () => publicLink() },
  { name: 'questionnaire-merci', path: async () => `${await publicLink()}/merci` },
  {
    name: 'questionnaire-public-erreurs',
    path: () => publicLink(),
    act: async (page) => {
      await page.getByLabel('Votre âge').fill('200');
      await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  // The demo's project in diagnostic (project 2, « Accès aux droits »): Grand Châtellerault's (collectivity 2)
  // published questionnaire 1 with its generated answers, Agglopolys's draft 2, a sent letter, outlines on the map.
  { name: 'projet-diagnostic', as: PROVIDER, path: '/projets/2' },
  { name: 'projet-diagnostic-visiteur', path: '/projets/2' },
  { name: 'ma-collectivite-agence', as: ADMIN, path: '/ma-collectivite' },
  { name: 'ma-collectivite-prestataire', as: PROVIDER, path: '/ma-collectivite' },
  { name: 'ma-collectivite-observatrice', as: OBSERVER, path: '/ma-collectivite' },
  { name: 'ma-collectivite-diagnostic', as: CHATELLERAULT, path: '/ma-collectivite' },
  { name: 'enquete-groupe', as: CHATELLERAULT, path: '/projets/2/groupes/2' },
  { name: 'enquete-constructeur', as: PROVIDER, path: '/questionnaires/1' },
  { name: 'enquete-resultats', as: CHATELLERAULT, path: '/questionnaires/1/resultats' },
  { name: 'enquete-couverture', as: PROVIDER, path: '/questionnaires/1/couverture' },
  { name: 'enquete-brouillon', as: PROVIDER, path: '/questionnaires/2' },
  { name: 'enquete-publique', path: () => publicLinkOf('/questionnaires/1', PROVIDER) },
  { name: 'lettres-archive', path: '/projets/2/lettres' },
  { name: 'lettre-parue', as: OBSERVER, path: '/projets/2/lettres/1' },
  { name: 'diagnostic-contours', as: PROVIDER, path: '/projets/2/diagnostic/2' },
  // Grand Châtellerault's map, made public by the provider: what a visitor reads of it.
  { name: 'carte-publique', path: '/projets/2/cartes/2' },
  { name: 'carte-publique-filtre', path: '/projets/2/cartes/2?type=space&domaine=citizen' },
  {
    name: 'carte-publique-interactive',
    path: '/projets/2/cartes/2',
    act: async (page) => {
      await page.getByRole('button', { name: 'Ouvrir la carte interactive (fond OpenStreetMap)' }).click();
      await page.getByText(/fiche\(s\) sur la carte interactive\./).waitFor();
      assert.ok((await page.locator('.interactive-map path.leaflet-interactive').count()) > 0, 'markers from the public GeoJSON');
    },
  },
  {
    name: 'carte-publique-fiche',
    path: '/projets/2/cartes/2',
    act: async (page) => {
      await page.getByRole('link', { name: 'Centre socioculturel d’Ozon' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Centre socioculturel d’Ozon' }).waitFor();
    },
  },
  // The creativity cycle of « Accès aux droits »: Grand Châtellerault's (collectivity 2) is finished — divergence
  // workshop 3, convergence 4, idea 14 a merge; Agglopolys's (collectivity 1) convergence workshop 5 is open.
  { name: 'croisement-territoire', as: PROVIDER, path: '/projets/2/croisement/2' },
  { name: 'croisement-territoire-referent', as: CHATELLERAULT, path: '/projets/2/croisement/2' },
  { name: 'croisement-idees', as: PROVIDER, path: '/projets/2/croisement/2/idees' },
  { name: 'croisement-fusion', as: CHATELLERAULT, path: '/projets/2/croisement/2/idees/14' },
  { name: 'croisement-cartes', as: PROVIDER, path: '/projets/2/croisement/2/idees/cartes' },
  { name: 'atelier-divergence', as: PROVIDER, path: '/projets/2/croisement/2/ateliers/4' },
  { name: 'atelier-tableau', as: PROVIDER, path: '/projets/2/croisement/2/ateliers/5' },
  { name: 'atelier-ecran', as: PROVIDER, path: '/projets/2/croisement/2/ateliers/4/ecran' },
  { name: 'atelier-vote', as: REFERENT, path: '/projets/2/croisement/1/ateliers/6' },
  { name: 'idees-moderation', as: PROVIDER, path: '/projets/2/croisement/1/idees' },
  { name: 'idee-habitant', path: () => ideasLink() },
  {
    name: 'idee-habitant-refusee',
    path: () => ideasLink(),
    act: async (page) => {
      await page.getByRole('button', { name: 'Envoyer mon idée' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'atelier-note-refusee',
    as: REFERENT,
    path: '/projets/2/croisement/1/ateliers/6',
    act: async (page) => {
      await page.locator('select[name^="note-"]').first().selectOption('5');
      await page.evaluate(() => {
        const select = document.querySelector('select[name^="note-"]');
        select.options[select.selectedIndex].value = '9';
      });
      await page.getByRole('button', { name: 'Enregistrer mes notes' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  // The action plans: Grand Châtellerault's (collectivity 2) adopted — actions 1 to 4, indicator 1 measured, a
  // review; Agglopolys's (collectivity 1) being written — action 5. The adoption form comes last: it submits it.
  { name: 'plan-territoire', as: PROVIDER, path: '/projets/2/plan/2' },
  { name: 'plan-action', as: CHATELLERAULT, path: '/projets/2/plan/2/actions/1' },
  { name: 'plan-action-jalons', as: PROVIDER, path: '/projets/2/plan/2/actions/2' },
  { name: 'plan-indicateur', as: PROVIDER, path: '/projets/2/plan/2/indicateurs/1' },
  { name: 'plan-suivi', as: PROVIDER, path: '/projets/2/plan/2/suivi' },
  { name: 'plan-brouillon', as: REFERENT, path: '/projets/2/plan/1' },
  { name: 'plan-action-brouillon', as: REFERENT, path: '/projets/2/plan/1/actions/5' },
  {
    name: 'plan-action-refusee',
    as: REFERENT,
    path: '/projets/2/plan/1/actions/5',
    act: async (page) => {
      await page.locator('#budget').fill('beaucoup');
      await page.getByRole('button', { name: 'Enregistrer le contenu' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'plan-import', as: REFERENT, path: '/projets/2/plan/1/import' },
  { name: 'plans-comparaison', path: '/projets/2/plans' },
  { name: 'plan-public', path: '/projets/2/plans/2' },
  // Grand Châtellerault's restitution, published: the working page, its quotes, the public page and its printed
  // versions; a refused save.
  { name: 'restitution-travail', as: PROVIDER, path: '/projets/2/restitution/2' },
  { name: 'restitution-citations', as: PROVIDER, path: '/projets/2/restitution/2/citations' },
  {
    name: 'restitution-refusee',
    as: PROVIDER,
    path: '/projets/2/restitution/2',
    act: async (page) => {
      await page.locator('#figures').fill('412 habitants');
      await page.getByRole('button', { name: 'Enregistrer les textes' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'restitution-portee', as: PROVIDER, path: '/projets/2/restitution/2/portee' },
  {
    name: 'restitution-portee-refusee',
    as: PROVIDER,
    path: '/projets/2/restitution/2/portee',
    act: async (page) => {
      await page.locator('#reached').fill('beaucoup');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'restitution-brouillon', as: REFERENT, path: '/projets/2/restitution/1' },
  { name: 'restitution-publique', path: '/projets/2/restitutions/2' },
  { name: 'restitution-affiche', path: '/projets/2/restitutions/2/affiche' },
  { name: 'restitution-tract', path: '/projets/2/restitutions/2/tract' },
  // The learning community of « Accès aux droits »: its page, the delegations, the forum, the élus' and the agents'
  // peer groups, a message to moderate, the agora, a supervision session; refused forms.
  { name: 'communaute', as: PROVIDER, path: '/projets/2/communaute' },
  { name: 'communaute-operateur', as: OPERATOR, path: '/projets/2/communaute' },
  { name: 'delegation', as: REFERENT, path: '/projets/2/delegations/1' },
  {
    name: 'delegation-refusee',
    as: PROVIDER,
    path: '/projets/2/delegations/1',
    act: async (page) => {
      await page.getByLabel('Adresse électronique, pour l’inviter à créer son compte').fill('pas une adresse');
      await page.getByRole('button', { name: 'Ajouter à la délégation' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'forum', as: CHATELLERAULT, path: '/projets/2/forum' },
  { name: 'forum-fil', as: OPERATOR, path: '/projets/2/fils/1' },
  {
    name: 'forum-fil-refuse',
    as: OPERATOR,
    path: '/projets/2/fils/1',
    act: async (page) => {
      await page.getByRole('button', { name: 'Répondre' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'pairs-elus', as: REFERENT, path: '/projets/2/pairs/5' },
  { name: 'pairs-elus-fil', as: PROVIDER, path: '/projets/2/fils/3' },
  { name: 'pairs-message', as: PROVIDER, path: '/projets/2/messages/5' },
  {
    name: 'pairs-conclusions-refusees',
    as: PROVIDER,
    path: '/projets/2/pairs/6',
    act: async (page) => {
      await page.getByRole('button', { name: 'Partager à l’agora' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'agora', as: OPERATOR, path: '/projets/2/agora' },
  {
    name: 'supervision',
    as: PROVIDER,
    path: '/projets/2/communaute',
    act: async (page) => {
      await page.getByRole('link', { name: 'Analyse de pratiques : coopérer entre services' }).click();
      await page.getByRole('heading', { name: 'Notes de la séance' }).waitFor();
    },
  },
  { name: 'pairs-refuse', as: CHATELLERAULT, path: '/projets/2/pairs/5', status: 403 },
  // Capitalisation: the lessons as each audience reads them, the recommendations, the deliverable and its edition.
  { name: 'enseignements-public', path: '/projets/2/enseignements' },
  { name: 'enseignements-observateur', as: OBSERVER, path: '/projets/2/enseignements' },
  { name: 'enseignements', as: PROVIDER, path: '/projets/2/enseignements' },
  {
    name: 'enseignement-refuse',
    as: PROVIDER,
    path: '/projets/2/enseignements',
    act: async (page) => {
      await page.getByRole('button', { name: 'Enregistrer, pour les participants' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'recommandations', as: ADMIN, path: '/projets/2/recommandations' },
  {
    name: 'recommandation-refusee',
    as: ADMIN,
    path: '/projets/2/recommandations',
    act: async (page) => {
      await page.getByRole('button', { name: /Noter la réponse/ }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'livrable', path: '/projets/2/livrable' },
  { name: 'livrable-edition', as: ADMIN, path: '/projets/2/livrable/edition' },
  {
    name: 'plan-adoption',
    as: REFERENT,
    path: '/projets/2/plan/1',
    act: async (page) => {
      await page.getByRole('button', { name: 'Soumettre la version 1 à l’adoption' }).click();
      await page.waitForURL(`${base}/projets/2/plan/1`);
      await page.goto(`${base}/projets/2/plan/1/adoption`);
    },
  },
  { name: 'inspiration', path: '/inspiration' },
  { name: 'inspiration-filtree', path: '/inspiration?theme=1' },
  { name: 'ressource', path: '/inspiration/1' },
  { name: 'ressource-nouvelle', as: ADMIN, path: '/inspiration/nouvelle?theme=1' },
  {
    name: 'ressource-erreurs',
    as: ADMIN,
    path: '/inspiration/nouvelle',
    act: async (page) => {
      await page.getByLabel('Liens').fill('www.sans-protocole.fr');
      await page.getByRole('button', { name: 'Publier' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'ressource-modification', as: ADMIN, path: '/inspiration/1/modifier' },
  { name: 'theme-inspiration', as: ADMIN, path: '/themes/1' },
];

let builderPath;
/** A questionnaire of Agglopolys's group with a question of each kind the audit should see; its builder's path. */
async function questionnaire() {
  if (builderPath) return builderPath;
  const { context, page } = await session({ email: ADMIN });
  await page.goto(`${base}/projets/1/groupes/1`);
  await page.getByLabel('Titre du questionnaire').fill('Se déplacer au quotidien');
  await page.getByRole('button', { name: 'Créer le questionnaire' }).click();
  await page.getByText('Questionnaire créé').waitFor();
  builderPath = new URL(page.url()).pathname;
  const add = async (kind, label, fill = {}) => {
    await page.getByLabel('Type de question').selectOption(kind);
    await page.getByLabel('Intitulé').fill(label);
    for (const [field, value] of Object.entries(fill)) await page.getByLabel(field, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Ajouter la question' }).click();
    await page.getByText('Question ajoutée.').waitFor();
  };
  await add('yes_no', 'Avez-vous une voiture ?');
  await page.getByLabel('Poser cette question (ou cette section) seulement si la question').selectOption({ label: '1. Avez-vous une voiture ?' });
  await add('short_text', 'Pourquoi n’en avez-vous pas ?', { 'Réponse(s) (facultatif)': 'non' });
  await add('multiple_choice', 'Comment vous déplacez-vous ?', { 'Propositions (questions à choix et classement) (facultatif)': 'Bus\nVélo\nÀ pied' });
  await add('scale', 'Êtes-vous satisfait des transports ?');
  await add('matrix', 'Fréquence', { 'Lignes du tableau (facultatif)': 'Bus\nTrain' });
  await add('ranking', 'Vos priorités', { 'Propositions (questions à choix et classement) (facultatif)': 'Prix\nHoraires' });
  await add('number', 'Votre âge', { 'Maximum (facultatif)': '120' });
  await add('date', 'Votre dernier trajet');
  await add('place', 'Où habitez-vous ?');
  await add('section', 'Pour finir', { 'Aide (facultatif)': 'Deux dernières questions.' });
  await add('long_text', 'Autre chose ?');
  await page.getByRole('button', { name: 'Ajouter les questions de profil proposées' }).click();
  await page.getByText('Questions de profil ajoutées').waitFor();
  await page.getByRole('button', { name: 'Publier le questionnaire' }).click();
  await page.getByText('Questionnaire publié').waitFor();
  await context.close();
  return builderPath;
}

/** The public link of that questionnaire. */
async function publicLink() {
  return publicLinkOf(await questionnaire(), ADMIN);
}

/** The public link of a published questionnaire, as its builder shows it to `email`. */
async function publicLinkOf(builder, email) {
  const { context, page } = await session({ email });
  await page.goto(`${base}${builder}`);
  const href = await page.getByRole('link', { name: /\/q\// }).getAttribute('href');
  await context.close();
  return href;
}

/** The inhabitants' public link of Agglopolys's cycle in « Accès aux droits », as its page shows it to the provider. */
async function ideasLink() {
  const { context, page } = await session({ email: PROVIDER });
  await page.goto(`${base}/projets/2/croisement/1`);
  const href = await page.getByRole('link', { name: /\/i\// }).getAttribute('href');
  await context.close();
  return new URL(href).pathname;
}

/** The agency opens a theme; returns its path. */
async function openTheme(title) {
  const { context, page } = await session({ email: ADMIN });
  await page.goto(`${base}/themes/nouveau`);
  await page.getByLabel('Titre du thème').fill(title);
  await page.getByLabel('Le problème posé').fill('Les logements vacants se multiplient au cœur des bourgs.');
  await page.getByLabel('Pourquoi c’est important pour vous').fill('Revitaliser les centres sans artificialiser de nouveaux sols.');
  await page.getByRole('button', { name: 'Proposer le thème' }).click();
  await page.getByText('Thème enregistré').waitFor();
  const path = new URL(page.url()).pathname;
  await context.close();
  return path;
}

// Widths every page is audited at: a desktop, a telephone (390 px); and the narrowest reflow WCAG asks for (320 px,
// 1.4.10): nothing may make the page scroll sideways there — wide tables scroll inside their own region.
const WIDTHS = [
  { label: 'bureau', width: 1280, height: 800 },
  { label: 'mobile', width: 390, height: 844 },
];
const REFLOW_WIDTH = 320;

test('every page type passes the axe-core audit with zero violations, on a desktop and a telephone, and reflows at 320 px', async () => {
  const failures = [];
  for (const spec of PAGES) {
    const { context, page } = await session({ email: spec.as });
    const target = typeof spec.path === 'function' ? await spec.path() : spec.path;
    const response = await page.goto(`${base}${target}`);
    assert.equal(response.status(), spec.status ?? 200, `${spec.name}: status`);
    if (spec.act) await spec.act(page);
    // The same page, in the state its action left it, laid out again at each width.
    for (const { label, width, height } of WIDTHS) {
      await page.setViewportSize({ width, height });
      const { violations } = await audit(page);
      const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      console.log(`${violations.length === 0 ? '✓' : '✗'} ${spec.name} (${label}) ${target}${summary.length ? `\n    ${summary.join('\n    ')}` : ''}`);
      if (violations.length) failures.push(`${spec.name} (${label}): ${summary.join('; ')}`);
    }
    await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
    const wider = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return null;
      // What sticks out, for the report: the outermost elements whose right edge passes the viewport.
      const out = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1);
      const outermost = out.filter((el) => !out.includes(el.parentElement)).slice(0, 3);
      return `${document.documentElement.scrollWidth}px: ${outermost.map((el) => `${el.tagName.toLowerCase()}.${el.className}`).join(', ')}`;
    });
    if (wider) {
      console.log(`✗ ${spec.name} (${REFLOW_WIDTH} px) scrolls sideways, ${wider}`);
      failures.push(`${spec.name} (${REFLOW_WIDTH} px): ${wider}`);
    }
    await context.close();
  }
  console.log(`axe-core ${axe.version}, ${PAGES.length} pages audited at ${WIDTHS.map((w) => `${w.width}`).join(' and ')} px, reflow at ${REFLOW_WIDTH} px (${AXE_TAGS.join(', ')})`);
  assert.deepEqual(failures, []);
});

test('a refused login puts the focus on its error summary and says so in the title, without JavaScript', async () => {
  const { context, page } = await session({ javaScript: false });
  await page.goto(`${base}/connexion`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs', 'focus on the summary');
  assert.match(await page.title(), /^Erreur : Connexion/);
  assert.match(await page.locator('#erreurs').innerText(), /obligatoire/);
  await page.getByLabel('Adresse électronique').fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Adresse électronique ou mot de passe incorrect.').first().waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs');
  assert.equal(await page.getByLabel('Mot de passe', { exact: true }).getAttribute('aria-invalid'), 'true', 'the password is marked too');
  await context.close();
});

test('on a telephone the menu folds into a disclosure that opens without JavaScript', async () => {
  const { context, page } = await session({ email: REFERENT, javaScript: false, viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/projets`);
  const account = page.getByRole('link', { name: /^Mon compte/ });
  assert.equal(await account.isVisible(), false, 'folded');
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header.height < 90, `the header is one line (${header.height}px)`);
  await page.getByText('Menu', { exact: true }).click();
  await account.click();
  await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(await page.getByRole('link', { name: 'Ma collectivité' }).isVisible(), true, 'a wide screen shows the menu');
  assert.equal(await page.getByText('Menu', { exact: true }).isVisible(), false);
  await context.close();
});

test('map and network labels are legible at 390 px or left to the legend and table', async () => {
  const { context, page } = await session({ email: ADMIN, viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/projets/1/diagnostic/5`);
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('svg[role=img] text')]
      .filter((t) => t.getBoundingClientRect().width > 0 && getComputedStyle(t).display !== 'none')
      // The font size in the picture's units times the picture's scale on screen.
      .map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a })),
  );
  const small = sizes.filter((s) => s.px < 12);
  assert.ok(sizes.length > 0, 'the scale bar at least is written');
  assert.deepEqual(small, [], 'no label rendered under 12 px');
  await context.close();
});

test('every page works without JavaScript', async () => {
  for (const spec of PAGES.filter((p) => typeof p.path === 'string')) {
    const { context, page } = await session({ email: spec.as, javaScript: false });
    const response = await page.goto(`${base}${spec.path}`);
    assert.equal(response.status(), spec.status ?? 200, spec.name);
    assert.equal(await page.locator('h1').count(), 1, `${spec.name}: one h1`);
    await context.close();
  }
});

test('an élue opens a thread in her peer group, a peer replies and the facilitator hides the reply, without JavaScript', async () => {
  const elue = await session({ email: REFERENT, javaScript: false });
  await elue.page.getByRole('link', { name: 'Ma collectivité' }).click();
  await elue.page.getByRole('link', { name: 'votre groupe de pairs « Élus »' }).click();
  await elue.page.getByLabel('De quoi s’agit-il ?').selectOption('question');
  await elue.page.getByLabel('Titre').fill('Associer l’opposition au comité de suivi ?');
  await elue.page.getByLabel('Message', { exact: true }).fill('Chez nous, la question se pose. Qu’avez-vous fait ?');
  await elue.page.getByRole('button', { name: 'Publier' }).click();
  await elue.page.getByRole('heading', { name: 'Associer l’opposition au comité de suivi ?' }).waitFor();
  await elue.page.getByLabel('Votre réponse').fill('Une précision : le comité se réunit deux fois par an.');
  await elue.page.getByRole('button', { name: 'Répondre' }).click();
  await elue.page.getByText('Une précision : le comité se réunit deux fois par an.').waitFor();
  const thread = new URL(elue.page.url()).pathname;
  await elue.context.close();
  const facilitator = await session({ email: PROVIDER, javaScript: false });
  await facilitator.page.goto(`${base}${thread}`);
  await facilitator.page.getByRole('link', { name: 'Masquer' }).last().click();
  await facilitator.page.getByLabel('Raison, visible de tous les lecteurs du fil').fill('Doublon du message précédent');
  await facilitator.page.getByRole('button', { name: 'Masquer le message' }).click();
  await facilitator.page.getByText('Le message est masqué ; le fil dit pourquoi.').waitFor();
  const text = await facilitator.page.locator('main').innerText();
  assert.match(text, /Message masqué par l’animation le .* : Doublon du message précédent/);
  assert.doesNotMatch(text, /deux fois par an/);
  await facilitator.context.close();
  // Outside the group, even in the same delegation, the thread is refused.
  const agent = await session({ email: CHATELLERAULT, javaScript: false });
  const response = await agent.page.goto(`${base}${thread}`);
  assert.equal(response.status(), 403);
  await agent.context.close();
});

test('a referent invites a colleague and logs out, without JavaScript', async () => {
  const { context, page } = await session({ email: REFERENT, javaScript: false });
  await page.getByRole('link', { name: 'Mon compte' }).click();
  await page.getByRole('link', { name: /Agglopolys/ }).click();
  await page.getByLabel('Adresse électronique').fill('collegue@agglopolys.example');
  await page.getByLabel('Agent').check();
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
  await page.getByText('Invitation envoyée à collegue@agglopolys.example.').waitFor();
  assert.match(await page.locator('main').innerText(), /collegue@agglopolys\.example — envoyée le/);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('link', { name: 'Se connecter' }).waitFor();
  await context.close();
});

test('a referent positions their collectivity on a theme, without JavaScript', async () => {
  const theme = await openTheme('Alimentation locale');
  const { context, page } = await session({ email: REFERENT, javaScript: false });
  await page.goto(`${base}/themes`);
  await page.getByRole('link', { name: 'Alimentation locale' }).click();
  await page.getByLabel('Vos enjeux sur ce thème').fill('Nos cantines veulent s’approvisionner auprès des producteurs du Blaisois.');
  await page.getByLabel('Participer').check();
  await page.getByRole('button', { name: 'Se positionner' }).click();
  await page.getByText('Votre positionnement est enregistré.').waitFor();
  assert.match(await page.locator('main').innerText(), /1 collectivité positionnée/);
  assert.equal(new URL(page.url()).pathname, theme);
  await context.close();
});

test('a referent enrols their collectivity in a shared project, without JavaScript', async () => {
  const { context, page } = await session({ email: CHATELLERAULT, javaScript: false });
  await page.getByRole('link', { name: 'Projets' }).click();
  await page.getByRole('link', { name: /Alimentation durable/ }).click();
  await page.getByText('La charte du projet', { exact: true }).click();
  await page.getByLabel(/a lu la charte du projet/).check();
  await page.getByRole('button', { name: /comme participante/ }).click();
  await page.getByText('est inscrite comme participante ; la charte est signée.').waitFor();
  assert.match(await page.locator('main').innerText(), /3 \/ 5\s*participantes/);
  await page.getByRole('link', { name: 'Ma collectivité' }).click();
  assert.match(await page.locator('main').innerText(), /Alimentation durable[^\n]*\tParticipante\tInscrite/);
  await context.close();
});

test('the agency publishes inspiration from a theme page and a referent reads it there, without JavaScript', async () => {
  const admin = await session({ email: ADMIN, javaScript: false });
  await admin.page.goto(`${base}/themes`);
  await admin.page.getByRole('link', { name: 'Engagement des jeunes dans la vie locale' }).click();
  await admin.page.getByRole('link', { name: 'Publier une ressource pour ce thème' }).click();
  assert.ok(await admin.page.getByLabel('Engagement des jeunes dans la vie locale').isChecked(), 'the theme of origin is ticked');
  await admin.page.getByLabel('Titre').fill('Un conseil de jeunes qui décide de son budget');
  await admin.page.getByLabel('Résumé').fill('Une intercommunalité confie 20 000 euros par an à un conseil de jeunes élus par leurs pairs.');
  await admin.page.getByLabel('Texte (Markdown accepté)').fill('## Comment\n\n- un appel à projets ;\n- un vote en ligne et en lycée.');
  await admin.page.getByRole('button', { name: 'Publier' }).click();
  await admin.page.getByText('Ressource publiée.').waitFor();
  await admin.page.getByRole('heading', { name: 'Comment' }).waitFor();
  await admin.context.close();
  const { context, page } = await session({ email: REFERENT, javaScript: false });
  await page.getByRole('link', { name: 'Thèmes', exact: true }).click();
  await page.getByRole('link', { name: 'Engagement des jeunes dans la vie locale' }).click();
  await page.getByRole('link', { name: 'Un conseil de jeunes qui décide de son budget' }).click();
  assert.match(await page.locator('main').innerText(), /un vote en ligne et en lycée/);
  await context.close();
});

test('a referent forms a mixed inquiry group, without JavaScript', async () => {
  const { context, page } = await session({ email: REFERENT, javaScript: false });
  await page.goto(`${base}/projets/1`);
  await page.getByRole('region', { name: 'Groupes d’enquête mixtes' }).getByRole('link', { name: /Agglopolys/ }).click();
  const add = async (name, category) => {
    await page.getByLabel('Nom ou prénom').fill(name);
    await page.getByLabel('Catégorie').selectOption({ label: category });
    await page.getByRole('button', { name: 'Ajouter au groupe' }).click();
    await page.getByText(`${name} rejoint le groupe.`).waitFor();
  };
  await add('Marc Lefèvre', 'Élu·e');
  await add('Inès', 'Habitant·e');
  assert.match(await page.locator('main').innerText(), /2 catégories représentées/);
  await add('Lina', 'Élève ou étudiant·e');
  assert.match(await page.locator('main').innerText(), /Groupe mixte : des habitants et au moins trois catégories/);
  await context.close();
});

test('a referent proposes a place for the diagnostic map and the agency publishes it, without JavaScript', async () => {
  const referent = await session({ email: REFERENT, javaScript: false });
  await referent.page.goto(`${base}/projets/1`);
  await referent.page.getByRole('link', { name: 'Ouvrir le diagnostic' }).click();
  await referent.page.getByRole('link', { name: /Agglopolys/ }).click();
  await referent.page.getByRole('link', { name: 'Ajouter un espace d’engagement' }).click();
  await referent.page.getByLabel('Nom').fill('Tiers-lieu de la gare');
  await referent.page.getByLabel('Type').selectOption({ label: 'Tiers-lieu' });
  await referent.page.getByLabel('Latitude').fill('47,5860');
  await referent.page.getByLabel('Longitude').fill('1,3250');
  await referent.page.getByRole('button', { name: 'Ajouter la fiche' }).click();
  await referent.page.getByText('Fiche proposée').waitFor();
  await referent.context.close();

  const admin = await session({ email: ADMIN, javaScript: false });
  await admin.page.goto(`${base}/projets/1/diagnostic`);
  await admin.page.getByRole('link', { name: /Contributions à valider : [1-9]/ }).click();
  await admin.page.getByRole('button', { name: 'Publier « Tiers-lieu de la gare »' }).click();
  await admin.page.getByText('Contribution publiée.').waitFor();
  await admin.page.goto(`${base}/projets/1/diagnostic/1?type=space`);
  await admin.page.getByRole('link', { name: 'Tiers-lieu de la gare' }).waitFor();
  assert.match(await admin.page.locator('svg[role=img] title').first().textContent(), /fiches? située/);
  await admin.context.close();
});

test('an inhabitant answers a questionnaire without an account, without JavaScript', async () => {
  const link = await publicLink();
  const { context, page } = await session({ javaScript: false });
  await page.goto(`${base}${link}`);
  await page.getByLabel('Oui', { exact: true }).check();
  await page.getByLabel('Bus', { exact: true }).check();
  await page.getByLabel('Votre âge').fill('200');
  await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByLabel('Oui', { exact: true }).isChecked(), true, 'answers are kept on error');
  await page.getByLabel('Votre âge').fill('42');
  await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
  await page.getByRole('heading', { name: 'Merci pour vos réponses' }).waitFor();
  await context.close();
});

test('a conditional question appears when it is asked, with JavaScript', async () => {
  const link = await publicLink();
  const { context, page } = await session();
  await page.goto(`${base}${link}`);
  const why = page.getByLabel(/Pourquoi n’en avez-vous pas/);
  assert.equal(await why.isVisible(), false, 'hidden until question 1 is answered');
  await page.getByLabel('Non', { exact: true }).check();
  await why.waitFor({ state: 'visible' });
  await page.getByLabel('Oui', { exact: true }).check();
  await why.waitFor({ state: 'hidden' });
  await context.close();
});

test('an interview survives a dropped connection and moves the coverage of publics', async () => {
  const builder = await questionnaire();
  const { context, page } = await session({ email: REFERENT });
  // The group wants one respondent without internet at home.
  await page.goto(`${base}${builder}/couverture`);
  await page.getByLabel('Je n’ai pas internet à la maison').fill('1');
  await page.getByRole('button', { name: 'Enregistrer les cibles' }).click();
  await page.getByText('encore 1 répondant à trouver sur 1').waitFor();
  // Half an interview, then the page is lost: it comes back from the browser's draft.
  await page.goto(`${base}${builder}/saisie`);
  await page.getByLabel('Votre âge').fill('67');
  await page.getByLabel('J’accepte de répondre aux questions de profil').check();
  await page.getByLabel('Je n’ai pas internet à la maison').check();
  await page.reload();
  await page.getByText('Saisie interrompue retrouvée').waitFor();
  assert.equal(await page.getByLabel('Votre âge').inputValue(), '67');
  assert.equal(await page.getByLabel('Je n’ai pas internet à la maison').isChecked(), true);
  await page.getByRole('button', { name: 'Enregistrer et saisir la suivante' }).click();
  await page.getByText('Réponse enregistrée').waitFor();
  assert.equal(await page.getByLabel('Votre âge').inputValue(), '', 'the next interview starts empty');
  await page.reload();
  assert.equal(await page.getByText('Saisie interrompue retrouvée').count(), 0, 'the recorded draft is forgotten');
  await page.goto(`${base}${builder}/couverture`);
  await page.getByText('Toutes les cibles sont atteintes.').waitFor();
  // The group downloads its responses for a spreadsheet.
  await page.goto(`${base}${builder}/resultats`);
  for (const [link, extension] of [['classeur Excel (.xlsx)', '.xlsx'], ['CSV pour tableur français (séparateur ;)', '.csv']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
    assert.ok(download.suggestedFilename().endsWith(`-reponses${extension}`), download.suggestedFilename());
    const file = await download.path();
    assert.ok(statSync(file).size > 100, `${extension} export has content`);
  }
  await context.close();
});

test('the invited colleague creates their account from the e-mailed link', async () => {
  const { context, page } = await session();
  await page.goto(`${base}${linkFromMail('collegue@agglopolys.example', '/invitation/')}`);
  await page.getByLabel('Prénom et nom').fill('Camille Leroy');
  await page.getByLabel('Mot de passe', { exact: true }).fill('la loire à vélo');
  await page.getByLabel('Confirmation du mot de passe').fill('la loire à vélo');
  await page.getByRole('button', { name: 'Créer mon compte et accepter' }).click();
  await page.getByText('Bienvenue').waitFor();
  assert.match(await page.locator('main').innerText(), /Agent — CA de Blois/);
  await context.close();
});

test('a creativity cycle runs without JavaScript: ten ideas typed in by keyboard, clustered, voted, retained', async () => {
  const provider = await session({ email: PROVIDER, javaScript: false });
  const page = provider.page;
  await page.goto(`${base}/projets/2`);
  await page.getByRole('link', { name: 'Le cycle de créativité de CA de Blois' }).click();
  await page.getByText('Prévoir un atelier').click();
  await page.getByLabel('Titre', { exact: true }).fill('Imaginer en salle');
  await page.getByLabel('Étape du cycle').selectOption({ label: 'Divergence et imagination' });
  await page.getByLabel('Début').fill('2027-03-02T18:00');
  await page.getByLabel('Fin').fill('2027-03-02T20:00');
  await page.getByLabel(/^Lieu/).fill('Salle des fêtes');
  await page.getByRole('button', { name: 'Prévoir l’atelier' }).click();
  await page.getByRole('button', { name: 'Ouvrir l’atelier aux contributions' }).click();
  // The fast entry: the title has the focus, Enter records, the empty form comes back focused.
  for (let n = 1; n <= 10; n++) {
    // The browser gives the autofocus once the page is rendered. Asked again and again from outside the page:
    // `waitForFunction` started while the click's navigation was under way could stay on the page left behind
    // (with JavaScript off, it timed out while the field had the focus).
    let focused = false;
    for (let tries = 0; tries < 50 && !focused; tries++) {
      focused = await page.evaluate(() => document.activeElement?.name === 'title').catch(() => false);
      if (!focused) await page.waitForTimeout(100);
    }
    assert.ok(focused, `the title field has the focus before idea ${n}`);
    await page.keyboard.type(`Idée de la salle n° ${n}`);
    await page.keyboard.press('Enter');
    await page.getByText(`Idée « Idée de la salle n° ${n} » enregistrée.`).waitFor();
  }
  await page.getByRole('heading', { name: 'Idées reçues pendant l’atelier (10)' }).waitFor();
  await page.getByRole('button', { name: 'Clore l’atelier' }).click();
  // Clustering without drag and drop: tick, name, « Regrouper ».
  await page.goto(`${base}/projets/2/croisement/1/idees`);
  await page.getByLabel('Idée de la salle n° 1', { exact: true }).check();
  await page.getByLabel('Idée de la salle n° 2', { exact: true }).check();
  await page.getByLabel('Nom du nouveau regroupement').fill('Venir en salle');
  await page.getByRole('button', { name: 'Regrouper les idées cochées' }).click();
  await page.getByText('2 idée(s) regroupée(s).').waitFor();
  await provider.context.close();

  // The referent, seated in the working group, scores and spends a dot in the open convergence workshop.
  const referent = await session({ email: REFERENT, javaScript: false });
  await referent.page.goto(`${base}/projets/2/croisement/1/ateliers/6`);
  await referent.page.getByRole('button', { name: '+ 1 point pour « Venir en salle »' }).click();
  await referent.page.getByText('Point placé.').waitFor();
  await referent.page.getByLabel('Note de « Venir en salle » pour « Coûte peu »').selectOption('4');
  await referent.page.getByRole('button', { name: 'Enregistrer mes notes' }).click();
  await referent.page.getByText('Vos notes sont enregistrées.').waitFor();
  await referent.context.close();

  const facilitator = await session({ email: PROVIDER, javaScript: false });
  await facilitator.page.goto(`${base}/projets/2/croisement/1/ateliers/6`);
  await facilitator.page.getByRole('button', { name: 'Retenir « Venir en salle »' }).click();
  await facilitator.page.getByText('Action retenue pour le plan').waitFor();
  await facilitator.page.goto(`${base}/projets/2/croisement/1`);
  await facilitator.page.getByRole('heading', { name: 'Actions retenues (1)' }).waitFor();
  await facilitator.context.close();
});

test('an adopted plan reads and prints without JavaScript, as the territory’s roadmap', async () => {
  const { context, page } = await session({ javaScript: false });
  await page.goto(`${base}/projets/2/plans/2`);
  await page.getByRole('heading', { level: 1, name: /Feuille de route/ }).waitFor();
  await page.getByRole('heading', { name: /Axe 1 — Aller vers les habitants/ }).waitFor();
  // Printed: no menu, no footer, no forms; each axis and its actions on paper.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'the header is not printed');
  assert.equal(await page.locator('.site-footer').isVisible(), false, 'the footer is not printed');
  assert.ok(await page.getByRole('heading', { name: /Axe 2/ }).isVisible(), 'the axes are printed');
  assert.ok(await page.getByText('Personnes reçues par le bus et au marché').first().isVisible(), 'indicators are printed');
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await page.screenshot({ path: path.join(ARTEFACTS, 'plan-impression.png'), fullPage: true });
  // The working page of the plan reads without JavaScript too.
  const writer = await session({ email: PROVIDER, javaScript: false });
  await writer.page.goto(`${base}/projets/2/plan/2`);
  await writer.page.getByRole('heading', { name: 'Aller vers les habitants éloignés des guichets' }).waitFor();
  await writer.page.getByRole('link', { name: /Un bus France services/ }).first().click();
  await writer.page.getByRole('heading', { name: 'Pourquoi cette action' }).waitFor();
  await writer.context.close();
  await context.close();
});

test('a published restitution prints as a poster (A3) and a leaflet (A4), with its QR code, without JavaScript', async () => {
  const { context, page } = await session({ javaScript: false });
  await page.goto(`${base}/projets/2/restitutions/2`);
  await page.getByRole('heading', { level: 1, name: /Ce que nous avons fait de votre parole/ }).waitFor();
  await page.getByRole('heading', { name: 'Ce que nous avons entendu' }).waitFor();
  await page.getByRole('heading', { name: 'Ce qui a été décidé' }).waitFor();
  await page.getByRole('heading', { name: 'Et maintenant' }).waitFor();
  for (const [format, name, paper] of [['affiche', 'restitution-affiche', 'A3'], ['tract', 'restitution-tract', 'A4']]) {
    await page.goto(`${base}/projets/2/restitutions/2/${format}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header').isVisible(), false, 'the header is not printed');
    assert.equal(await page.locator('.no-print').first().isVisible(), false, 'the printing notice is not printed');
    assert.ok(await page.locator('.qr-code svg').isVisible(), 'the QR code is printed');
    assert.ok(await page.getByText(/Tout lire, et les prochains rendez-vous/).isVisible(), 'the address is printed');
    const pdf = await page.pdf({ format: paper, preferCSSPageSize: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    await page.screenshot({ path: path.join(ARTEFACTS, `${name}-impression.png`), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  }
  await context.close();
});

test('the national deliverable reads with its table of contents and prints as a clean document, without JavaScript', async () => {
  const { context, page } = await session({ javaScript: false });
  await page.goto(`${base}/projets/2`);
  await page.getByRole('link', { name: 'Le livrable national' }).click();
  await page.getByRole('heading', { level: 1, name: /Aller vers ceux qu’on n’entend pas/ }).waitFor();
  await page.getByRole('navigation', { name: 'Sommaire' }).getByRole('link', { name: 'Recommandations' }).click();
  assert.equal(new URL(page.url()).hash, '#recommandations');
  await page.getByRole('heading', { name: 'Partager les chiffres du non-recours avec les collectivités' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'the header is not printed');
  assert.equal(await page.locator('.breadcrumb').isVisible(), false, 'the breadcrumb is not printed');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await page.screenshot({ path: path.join(ARTEFACTS, 'livrable-impression.png'), fullPage: true });
  await context.close();
});

test('the readability hint follows a restitution’s text as it is written', async () => {
  const { context, page } = await session({ email: PROVIDER });
  await page.goto(`${base}/projets/2/restitution/2`);
  const field = page.locator('#involved');
  await field.fill('La gouvernance du dispositif sera assurée par l’EPCI en lien avec les acteurs du territoire.');
  const hint = page.locator('#lisibilite-involved');
  await hint.getByText(/gouvernance/).waitFor();
  assert.ok(await hint.getByText(/EPCI/).isVisible(), 'the acronym is named');
  await field.fill('Écrivez à la mairie.');
  await hint.getByText(/gouvernance/).waitFor({ state: 'detached' });
  await context.close();
});

test('logging in and searching work with the keyboard alone, focus always visible', async () => {
  const { context, page } = await session();
  await page.goto(`${base}/connexion`);
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, name: el.getAttribute('name'), text: el.textContent.trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
  await page.keyboard.press('Tab');
  let now = await focused();
  assert.equal(now.text, 'Aller au contenu', 'the skip link comes first');
  assert.ok(now.outline !== 'none' && now.width > 0, 'focus is visible');
  await page.keyboard.press('Enter');
  // From the main content, the first stop is the e-mail field.
  await page.keyboard.press('Tab');
  now = await focused();
  assert.equal(now.name, 'email');
  assert.ok(now.outline !== 'none' && now.width > 0, 'focus is visible on fields');
  await page.keyboard.type(ADMIN);
  await page.keyboard.press('Tab');
  assert.equal((await focused()).name, 'password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/`);
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();

  // Search by keyboard: no trap, every stop reachable, focus always visible.
  await page.goto(`${base}/collectivites`);
  const seen = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    now = await focused();
    if (now.tag === 'BODY') break;
    assert.ok(now.outline !== 'none' && now.width > 0, `focus visible on ${now.tag} ${now.name ?? now.text}`);
    seen.push(now.name ?? now.text);
    if (now.name === 'q') await page.keyboard.type('chatellerault');
  }
  assert.ok(seen.includes('q') && seen.includes('type'), `search fields reached: ${seen}`);
  assert.ok(seen.length < 40, 'tabbing leaves the page: no keyboard trap');
  await page.locator('#q').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'CA Grand Châtellerault' }).waitFor();
  await context.close();
});

test('screenshots of the key pages at desktop and mobile widths', async () => {
  const shots = [
    { name: 'accueil', path: '/' },
    { name: 'connexion', path: '/connexion' },
    { name: 'recherche', path: '/collectivites?q=chatellerault' },
    { name: 'territoire', path: '/territoires/epci/248600413' },
    { name: 'themes', path: '/themes' },
    { name: 'ma-collectivite', path: '/ma-collectivite', as: REFERENT },
    { name: 'compte', path: '/compte', as: REFERENT },
    { name: 'administration', path: '/admin', as: ADMIN },
    { name: 'projet', path: '/projets/1' },
    { name: 'projet-pilotage', path: '/projets/1', as: ADMIN },
    { name: 'rendez-vous', path: '/projets/1/evenements/1', as: REFERENT },
    { name: 'groupe-enquete', path: '/projets/1/groupes/1', as: REFERENT },
    { name: 'inspiration', path: '/inspiration' },
    { name: 'ressource', path: '/inspiration/1' },
    { name: 'ressource-nouvelle', path: '/inspiration/nouvelle?theme=1', as: ADMIN },
    { name: 'questionnaire-constructeur', path: () => questionnaire(), as: ADMIN },
    { name: 'questionnaire-public', path: () => publicLink() },
    { name: 'questionnaire-couverture', path: async () => `${await questionnaire()}/couverture`, as: REFERENT },
    { name: 'questionnaire-resultats', path: async () => `${await questionnaire()}/resultats`, as: REFERENT },
    { name: 'diagnostic-territoire', path: '/projets/1/diagnostic/5', as: REFERENT },
    { name: 'diagnostic-fiche', path: '/projets/1/diagnostic/5/fiches/3', as: REFERENT },
    { name: 'diagnostic-comparaison', path: '/projets/1/diagnostic', as: ADMIN },
    { name: 'enquete-resultats', path: '/questionnaires/1/resultats', as: CHATELLERAULT },
    { name: 'diagnostic-contours', path: '/projets/2/diagnostic/2', as: PROVIDER },
    { name: 'restitution-publique', path: '/projets/2/restitutions/2' },
    { name: 'restitution-portee', path: '/projets/2/restitution/2/portee', as: PROVIDER },
    { name: 'communaute', path: '/projets/2/communaute', as: OPERATOR },
    { name: 'pairs-elus-fil', path: '/projets/2/fils/3', as: REFERENT },
    { name: 'livrable', path: '/projets/2/livrable' },
  ];
  for (const [width, height, label] of [[1280, 800, 'bureau'], [390, 844, 'mobile']]) {
    for (const shot of shots) {
      const target = typeof shot.path === 'function' ? await shot.path() : shot.path;
      const { context, page } = await session({ email: shot.as, viewport: { width, height } });
      await page.goto(`${base}${target}`);
      const file = path.join(ARTEFACTS, `${shot.name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `${shot.name} fits ${width}px without horizontal scrolling (${scrollWidth}px)`);
      await context.close();
    }
  }
  console.log(`screenshots in ${ARTEFACTS}`);
});
