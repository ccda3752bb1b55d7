/** Text made safe inside HTML or SVG, in content and in quoted attributes. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
