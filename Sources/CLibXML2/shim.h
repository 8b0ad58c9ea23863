#ifndef CONFORM_CLIBXML2_SHIM_H
#define CONFORM_CLIBXML2_SHIM_H

// xmlversion.h first: Debian builds libxml2 with ICU, and its ICU headers clash with Foundation's own
// ICU module ('UErrorCode' has different definitions in different modules). conform never asks libxml2
// for ICU conversions, so the switch is turned off before the remaining headers see it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>

#include <stdarg.h>
#include <stdio.h>

/// xmlFree is a global function pointer; Swift 6 refuses to read mutable globals, so it is called here.
static inline void conform_xml_free(void *pointer) { xmlFree(pointer); }

/// Where libxml2's generic (printf-style) messages go: defined in Swift (LibXMLDocument.swift), with the
/// context the handler was set with and the message formatted. Swift cannot define a variadic function.
void conform_xml_generic_message(void *context, const char *message);

static void conform_xml_generic_error(void *context, const char *format, ...) {
    char message[1024];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    conform_xml_generic_message(context, message);
}

/// This thread's generic error handler: conform's, with `context` (NULL: messages are dropped).
static inline void conform_xml_set_generic_errors(void *context) {
    xmlSetGenericErrorFunc(context, conform_xml_generic_error);
}

/// The generic error handler every thread starts with: conform's, dropping messages.
static inline void conform_xml_set_default_generic_errors(void) {
    xmlThrDefSetGenericErrorFunc(NULL, conform_xml_generic_error);
}

/// A schema parser's generic error and warning handlers: conform's, with `context`.
static inline void conform_xml_set_schema_parser_errors(xmlSchemaParserCtxtPtr parser, void *context) {
    xmlSchemaSetParserErrors(parser, conform_xml_generic_error, conform_xml_generic_error, context);
}

/// A schema validation's generic error and warning handlers: conform's, with `context`.
static inline void conform_xml_set_schema_validation_errors(xmlSchemaValidCtxtPtr validation, void *context) {
    xmlSchemaSetValidErrors(validation, conform_xml_generic_error, conform_xml_generic_error, context);
}

#endif
