// Run by each consumer project's verify.groovy, with its basedir. JUnit's failure mode for mixed
// versions is a build that runs no test, so this fails unless every test class ran and passed, and
// the test classpath holds exactly the versions that the consumer's pom names in its properties.
def reports = new File(basedir, 'target/surefire-reports').listFiles()?.findAll { it.name ==~ /TEST-.*\.xml/ }
assert reports : "no surefire report in ${basedir}: no test ran"

def testSources = []
new File(basedir, 'src/test/java').eachFileRecurse { if (it.name.endsWith('Test.java')) testSources << it.name - '.java' }

int tests = 0
String classpath = null
reports.each { report ->
    def suite = new groovy.xml.XmlSlurper().parse(report)
    tests += suite.@tests.toInteger()
    assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 : "${report.name}: failures"
    testSources.remove(suite.@name.toString().tokenize('.').last())
    classpath = suite.properties.property.find { it.@name == 'surefire.test.class.path' }.@value.toString()
}
assert tests > 0 : "${basedir.name}: no test ran"
assert testSources.isEmpty() : "${basedir.name}: these test classes did not run: ${testSources}"

// Property in the consumer's pom -> the artifact whose version on the test classpath it must be.
def pinned = [
    'junit.version'      : 'org/junit/jupiter/junit-jupiter-api',
    'jackson.version'    : 'com/fasterxml/jackson/core/jackson-databind',
    'sqlite-jdbc.version': 'org/xerial/sqlite-jdbc',
    'undertow.version'   : 'io/undertow/undertow-core',
    'awssdk.version'     : 'software/amazon/awssdk/s3',
]
def pom = new groovy.xml.XmlSlurper().parse(new File(basedir, 'pom.xml'))
def entries = classpath.tokenize(File.pathSeparator).collect { it.replace(File.separatorChar, '/' as char) }
def onClasspath = pinned.collectEntries { property, artifact ->
    [property, entries.findAll { it.contains("/${artifact}/") }.collect { (it =~ "/${artifact}/([^/]+)/")[0][1] }]
}
pinned.keySet().each { property ->
    String version = pom.properties."${property}".text()
    assert !version || onClasspath[property] == [version] :
        "${basedir.name}: ${pinned[property]} ${onClasspath[property]} on the test classpath, ${version} expected"
}
println "${basedir.name}: ${tests} tests passed on " + onClasspath.collect { property, versions -> "${pinned[property].tokenize('/').last()} ${versions.join(' ')}" }.join(', ')
return true
