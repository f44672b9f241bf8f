import type { Catalog } from './en.ts';

// Le texte des pages de connexion, en français.
export const fr: Catalog = {
  signIn: { title: 'Connexion', username: "Nom d'utilisateur", password: 'Mot de passe', submit: 'Se connecter' },
  mfa: {
    title: 'Saisissez votre code',
    SOFTWARE_TOKEN_MFA: "Saisissez le code de votre application d'authentification.",
    SMS_MFA: 'Saisissez le code reçu par SMS.',
    EMAIL_OTP: 'Saisissez le code reçu par e-mail.',
    code: 'Code',
    submit: 'Continuer',
  },
  selectMfa: {
    title: 'Choisissez comment confirmer votre identité',
    SOFTWARE_TOKEN_MFA: "Application d'authentification",
    SMS_MFA: 'SMS',
    EMAIL_OTP: 'E-mail',
    submit: 'Continuer',
  },
  newPassword: {
    title: 'Choisissez un nouveau mot de passe',
    intro: 'Vous devez choisir un nouveau mot de passe pour continuer.',
    password: 'Nouveau mot de passe',
    submit: 'Enregistrer',
  },
  signedOut: { title: 'Déconnecté' },
  error: {
    title: 'Un problème est survenu',
    unknownClient: "Ce lien de connexion désigne un client d'application qui n'existe pas.",
    badRedirect: "Ce lien de connexion demande un retour vers une adresse que l'application n'a pas enregistrée.",
    badLogout: "Ce lien de déconnexion demande un retour vers une adresse que l'application n'a pas enregistrée.",
    expired: "Cette page a expiré. Revenez à l'application et recommencez.",
    generic: "La demande n'a pas pu aboutir. Revenez à l'application et réessayez.",
  },
  problem: {
    incorrect: "Nom d'utilisateur ou mot de passe incorrect.",
    attempts: 'Trop de tentatives. Patientez un instant puis réessayez.',
    disabled: 'Ce compte est désactivé.',
    notConfirmed: "Ce compte n'est pas encore confirmé.",
    resetRequired: 'Ce compte doit réinitialiser son mot de passe.',
    badCode: "Ce code n'est pas le bon. Réessayez.",
    badPassword: 'Ce mot de passe ne respecte pas les règles.',
    sessionExpired: 'La connexion a pris trop de temps. Recommencez.',
    generic: 'Un problème est survenu. Réessayez.',
  },
  language: 'Langue',
};
