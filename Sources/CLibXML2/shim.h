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

/// xmlFree is a global function pointer; Swift 6 refuses to read mutable globals, so it is called here.
static inline void conform_xml_free(void *pointer) { xmlFree(pointer); }

#endif
