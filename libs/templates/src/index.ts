export { DEFAULT_LOCALE, localeFallbackChain, normaliseTemplateLocale } from './locale-fallback';
export { checkTemplateSyntax, renderTemplate, type RenderOutcome, type TemplateVersion } from './liquid-renderer';
export {
  renderStoredTemplate,
  validateTemplateName,
  TemplateInputError,
  type StoredTemplateSource,
  type StoredRenderOutcome,
} from './stored-templates';
